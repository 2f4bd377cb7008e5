package dev.guardian.service.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.rules.SignatureTerms;
import dev.guardian.policy.rules.SignatureTerms.Standard;
import dev.guardian.signer.TypedData;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which typed data Guardian signs for a wallet and what each would let others do; and that what only looks
 * like it (another chain, another token, another owner, a type with one field more) is refused.
 */
class TypedDataRecogniserTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long CHAIN = 8453;
    private static final Address WALLET = Address.parse("0x1111111111111111111111111111111111111111");
    private static final Address OTHER = Address.parse("0x2222222222222222222222222222222222222222");
    private static final Address SHOP = Address.parse("0x3333333333333333333333333333333333333333");
    private static final Address PERMIT2 = Address.parse("0x000000000022d473030f116ddee9f6b43ac78ba3");
    private static final Asset.Erc20 USDC =
            new Asset.Erc20(Address.parse("0x833589fcd6edb6e08f4c7c32d4f71b54bda02913"), "USDC", 6);
    private static final TypedDataRecogniser RECOGNISER = new TypedDataRecogniser(
            CHAIN,
            new TokenDomain(USDC, "USD Coin", "2", CHAIN),
            Optional.of(PERMIT2),
            new AssetRegistry(Asset.ether(), List.of(USDC)));

    private static final String USDC_DOMAIN_TYPE = """
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
              {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}]""";
    private static final String PERMIT2_DOMAIN_TYPE = """
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"},
              {"name": "verifyingContract", "type": "address"}]""";
    private static final String TRANSFER_TYPE = """
            "TransferWithAuthorization": [{"name": "from", "type": "address"}, {"name": "to", "type": "address"},
              {"name": "value", "type": "uint256"}, {"name": "validAfter", "type": "uint256"},
              {"name": "validBefore", "type": "uint256"}, {"name": "nonce", "type": "bytes32"}]""";

    private static TypedData parse(String json) {
        return TypedData.fromJson(JSON.readValue(json, new TypeReference<Map<String, Object>>() {}));
    }

    private static String usdcDomain(String name, long chainId, Address contract) {
        return """
                {"name": "%s", "version": "2", "chainId": %d, "verifyingContract": "%s"}""".formatted(name, chainId, contract.toLowerHex());
    }

    private static TypedData transfer(String domain, Address from, String types) {
        return parse(
                """
                {"types": {%s, %s}, "primaryType": "TransferWithAuthorization", "domain": %s,
                 "message": {"from": "%s", "to": "%s", "value": "2500000", "validAfter": 0, "validBefore": 1800000000,
                   "nonce": "0x%s"}}""".formatted(USDC_DOMAIN_TYPE, types, domain, from.toLowerHex(), SHOP.toLowerHex(), "ab".repeat(32)));
    }

    private static String permit2Domain(Address contract) {
        return """
                {"name": "Permit2", "chainId": %d, "verifyingContract": "%s"}""".formatted(CHAIN, contract.toLowerHex());
    }

    @Test
    void anEip3009TransferIsATransferOfItsValueFromTheWalletUsableUntilJustBeforeValidBefore() {
        Recognised recognised = RECOGNISER.recognise(
                WALLET, transfer(usdcDomain("USD Coin", CHAIN, USDC.contract()), WALLET, TRANSFER_TYPE));

        assertThat(recognised.terms().standard()).isEqualTo(Standard.EIP3009_TRANSFER);
        assertThat(recognised.effects())
                .containsExactly(new Transfer(new TokenAmount(USDC, BigInteger.valueOf(2_500_000)), WALLET, SHOP));
        assertThat(recognised.terms().validUntil()).contains(Instant.ofEpochSecond(1_799_999_999));
        assertThat(recognised.use()).containsInstanceOf(OnChainUse.Eip3009.class);
        assertThat(recognised.contract()).isEqualTo(USDC.contract());
    }

    @Test
    void refusesAnAuthorizationThatMovesAnotherAccountsMoney() {
        Recognised recognised = RECOGNISER.recognise(
                WALLET, transfer(usdcDomain("USD Coin", CHAIN, USDC.contract()), OTHER, TRANSFER_TYPE));

        assertThat(recognised.terms().standard()).isEqualTo(Standard.REFUSED);
        assertThat(recognised.effects()).isEmpty();
    }

    @Test
    void refusesAnAuthorizationForAnotherChainAnotherNameOrAnotherContract() {
        for (String domain : List.of(
                usdcDomain("USD Coin", 1, USDC.contract()),
                usdcDomain("USDC", CHAIN, USDC.contract()),
                usdcDomain("USD Coin", CHAIN, OTHER))) {
            Recognised recognised = RECOGNISER.recognise(WALLET, transfer(domain, WALLET, TRANSFER_TYPE));

            assertThat(recognised.terms().standard()).as(domain).isEqualTo(Standard.REFUSED);
        }
    }

    @Test
    void refusesATypeThatOnlyLooksLikeTheStandardOne() {
        String extraField = TRANSFER_TYPE.replace(
                "{\"name\": \"nonce\", \"type\": \"bytes32\"}]",
                "{\"name\": \"nonce\", \"type\": \"bytes32\"}, {\"name\": \"memo\", \"type\": \"string\"}]");
        assertThat(extraField).contains("memo");
        TypedData data = parse(("""
                {"types": {%s, %s}, "primaryType": "TransferWithAuthorization", "domain": %s,
                 "message": {"from": "%s", "to": "%s", "value": "1", "validAfter": 0, "validBefore": 1800000000,
                   "nonce": "0x%s", "memo": "hi"}}""")
                .formatted(
                        USDC_DOMAIN_TYPE,
                        extraField,
                        usdcDomain("USD Coin", CHAIN, USDC.contract()),
                        WALLET.toLowerHex(),
                        SHOP.toLowerHex(),
                        "cd".repeat(32)));

        assertThat(RECOGNISER.recognise(WALLET, data).terms().standard()).isEqualTo(Standard.REFUSED);
    }

    @Test
    void aPermit2PermitSingleIsAPermit2AllowanceForTheSpender() {
        TypedData data = parse("""
                {"types": {%s,
                  "PermitSingle": [{"name": "details", "type": "PermitDetails"}, {"name": "spender", "type": "address"},
                    {"name": "sigDeadline", "type": "uint256"}],
                  "PermitDetails": [{"name": "token", "type": "address"}, {"name": "amount", "type": "uint160"},
                    {"name": "expiration", "type": "uint48"}, {"name": "nonce", "type": "uint48"}]},
                 "primaryType": "PermitSingle", "domain": %s,
                 "message": {"details": {"token": "%s", "amount": "7000000", "expiration": 1800000000, "nonce": 3},
                   "spender": "%s", "sigDeadline": 1790000000}}""".formatted(
                PERMIT2_DOMAIN_TYPE, permit2Domain(PERMIT2), USDC.contract().toLowerHex(), SHOP.toLowerHex()));

        Recognised recognised = RECOGNISER.recognise(WALLET, data);

        assertThat(recognised.terms().standard()).isEqualTo(Standard.PERMIT2_ALLOWANCE);
        assertThat(recognised.effects())
                .containsExactly(new Approval(
                        new TokenAmount(USDC, BigInteger.valueOf(7_000_000)), WALLET, SHOP, Approval.Kind.PERMIT2));
        assertThat(recognised.terms().validUntil()).contains(Instant.ofEpochSecond(1_790_000_000));
        assertThat(recognised.contract()).isEqualTo(PERMIT2);
    }

    private static final String PERMIT_DETAILS_TYPE = """
            "PermitDetails": [{"name": "token", "type": "address"}, {"name": "amount", "type": "uint160"},
              {"name": "expiration", "type": "uint48"}, {"name": "nonce", "type": "uint48"}]""";

    private static TypedData permitBatch(String details) {
        return parse("""
                {"types": {%s,
                  "PermitBatch": [{"name": "details", "type": "PermitDetails[]"}, {"name": "spender", "type": "address"},
                    {"name": "sigDeadline", "type": "uint256"}], %s},
                 "primaryType": "PermitBatch", "domain": %s,
                 "message": {"details": [%s], "spender": "%s", "sigDeadline": 1790000000}}""".formatted(
                        PERMIT2_DOMAIN_TYPE, PERMIT_DETAILS_TYPE, permit2Domain(PERMIT2), details, SHOP.toLowerHex()));
    }

    private static String detail(Address token, String amount, long expiration, long nonce) {
        return """
                {"token": "%s", "amount": "%s", "expiration": %d, "nonce": %d}""".formatted(token.toLowerHex(), amount, expiration, nonce);
    }

    @Test
    void everyDetailOfAPermit2BatchIsAnAllowanceAndAnApproveOfItsOwn() {
        Address other = Address.parse("0x4444444444444444444444444444444444444444");
        TypedData data = permitBatch(detail(USDC.contract(), "1000000", 1_790_000_100, 0) + ","
                + detail(other, "2000000", 1_790_000_300, 5) + "," + detail(USDC.contract(), "3000000", 0, 1));

        Recognised recognised = RECOGNISER.recognise(WALLET, data);

        assertThat(recognised.terms().standard()).isEqualTo(Standard.PERMIT2_ALLOWANCE);
        assertThat(recognised.effects())
                .containsExactly(
                        new Approval(
                                new TokenAmount(USDC, BigInteger.valueOf(1_000_000)),
                                WALLET,
                                SHOP,
                                Approval.Kind.PERMIT2),
                        new Approval(
                                new TokenAmount(new Asset.UnknownToken(other), BigInteger.valueOf(2_000_000)),
                                WALLET,
                                SHOP,
                                Approval.Kind.PERMIT2),
                        new Approval(
                                new TokenAmount(USDC, BigInteger.valueOf(3_000_000)),
                                WALLET,
                                SHOP,
                                Approval.Kind.PERMIT2));
        // approve(token, spender, amount, expiration) for each: the first is the call, the others further calls.
        assertThat(recognised.contract()).isEqualTo(PERMIT2);
        assertThat(word(recognised.equivalent(), 0)).isEqualTo(word(USDC.contract()));
        assertThat(recognised.terms().furtherCalls()).hasSize(2).allSatisfy(call -> {
            assertThat(call.to()).isEqualTo(PERMIT2);
            assertThat(Arrays.copyOf(call.data(), 4)).isEqualTo(Arrays.copyOf(recognised.equivalent(), 4));
        });
        assertThat(word(recognised.terms().furtherCalls().get(0).data(), 0)).isEqualTo(word(other));
        assertThat(new BigInteger(
                        1, word(recognised.terms().furtherCalls().get(1).data(), 2)))
                .isEqualTo(BigInteger.valueOf(3_000_000));
        // The allowances last until the latest expiration; 0 is "this block", no later than the sigDeadline.
        assertThat(recognised.terms().validUntil()).contains(Instant.ofEpochSecond(1_790_000_000));
        assertThat(recognised.terms().grantedUntil()).contains(Instant.ofEpochSecond(1_790_000_300));
        assertThat(recognised.use())
                .hasValueSatisfying(use ->
                        assertThat(((OnChainUse.Permit2Allowance) use).grants()).hasSize(3));
    }

    @Test
    void aPermit2AllowanceExpiringInItsOwnBlockLastsNoLongerThanTheSignature() {
        Recognised recognised = RECOGNISER.recognise(WALLET, permitBatch(detail(USDC.contract(), "1", 0, 0)));

        assertThat(recognised.terms().grantedUntil()).contains(Instant.ofEpochSecond(1_790_000_000));
        assertThat(recognised.terms().furtherCalls()).isEmpty();
    }

    @Test
    void aPermit2AllowanceOfUint160MaxIsAnUnlimitedAllowance() {
        Recognised recognised = RECOGNISER.recognise(
                WALLET, permitBatch(detail(USDC.contract(), Approval.MAX_UINT160.toString(), 1_790_000_000, 0)));

        assertThat(recognised.effects())
                .singleElement()
                .satisfies(effect -> assertThat(((Approval) effect).unlimited()).isTrue());
    }

    @Test
    void aMessageCarriesItsWholeDomainAndItsEncodedType() {
        TypedData login = parse("""
                {"types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
                  "Login": [{"name": "user", "type": "string"}, {"name": "at", "type": "Stamp"}],
                  "Stamp": [{"name": "time", "type": "uint256"}]},
                 "primaryType": "Login",
                 "domain": {"name": "login.example", "version": "1", "chainId": %d, "verifyingContract": "%s"},
                 "message": {"user": "bot", "at": {"time": 1}}}""".formatted(CHAIN, OTHER.toLowerHex()));

        SignatureTerms terms = RECOGNISER.recognise(WALLET, login).terms();

        assertThat(terms.standard()).isEqualTo(Standard.MESSAGE);
        assertThat(terms.domain())
                .isEqualTo(new SignatureTerms.Domain(
                        Optional.of("login.example"),
                        Optional.of("1"),
                        Optional.of(BigInteger.valueOf(CHAIN)),
                        Optional.of(OTHER),
                        Optional.empty()));
        assertThat(terms.encodedType()).isEqualTo("Login(string user,Stamp at)Stamp(uint256 time)");
    }

    private static byte[] word(byte[] call, int index) {
        return Arrays.copyOfRange(call, 4 + 32 * index, 4 + 32 * (index + 1));
    }

    private static byte[] word(Address address) {
        byte[] word = new byte[32];
        System.arraycopy(address.toBytes(), 0, word, 12, 20);
        return word;
    }

    @Test
    void aPermit2SignatureTransferIsJudgedAsAnAllowanceOfItsAmount() {
        TypedData data = parse("""
                {"types": {%s,
                  "PermitWitnessTransferFrom": [{"name": "permitted", "type": "TokenPermissions"},
                    {"name": "spender", "type": "address"}, {"name": "nonce", "type": "uint256"},
                    {"name": "deadline", "type": "uint256"}, {"name": "witness", "type": "Order"}],
                  "TokenPermissions": [{"name": "token", "type": "address"}, {"name": "amount", "type": "uint256"}],
                  "Order": [{"name": "minOut", "type": "uint256"}]},
                 "primaryType": "PermitWitnessTransferFrom", "domain": %s,
                 "message": {"permitted": {"token": "%s", "amount": "4000000"}, "spender": "%s", "nonce": "77",
                   "deadline": 1790000000, "witness": {"minOut": "1"}}}""".formatted(
                PERMIT2_DOMAIN_TYPE, permit2Domain(PERMIT2), USDC.contract().toLowerHex(), SHOP.toLowerHex()));

        Recognised recognised = RECOGNISER.recognise(WALLET, data);

        assertThat(recognised.terms().standard()).isEqualTo(Standard.PERMIT2_TRANSFER);
        assertThat(recognised.effects()).singleElement().isInstanceOf(Approval.class);
        assertThat(recognised.use()).containsInstanceOf(OnChainUse.Permit2Transfer.class);
    }

    @Test
    void refusesAPermit2TypeForAContractThatIsNotTheConfiguredPermit2() {
        TypedData data = parse("""
                {"types": {%s,
                  "PermitTransferFrom": [{"name": "permitted", "type": "TokenPermissions"},
                    {"name": "spender", "type": "address"}, {"name": "nonce", "type": "uint256"},
                    {"name": "deadline", "type": "uint256"}],
                  "TokenPermissions": [{"name": "token", "type": "address"}, {"name": "amount", "type": "uint256"}]},
                 "primaryType": "PermitTransferFrom", "domain": %s,
                 "message": {"permitted": {"token": "%s", "amount": "1"}, "spender": "%s", "nonce": "1",
                   "deadline": 1790000000}}""".formatted(
                PERMIT2_DOMAIN_TYPE, permit2Domain(OTHER), USDC.contract().toLowerHex(), SHOP.toLowerHex()));

        assertThat(RECOGNISER.recognise(WALLET, data).terms().standard()).isEqualTo(Standard.REFUSED);
    }

    @Test
    void otherTypedDataIsAMessageThatMovesNothingUnlessItIsForAnotherChainOrASafe() {
        TypedData login = parse("""
                {"types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}],
                  "Login": [{"name": "user", "type": "string"}]},
                 "primaryType": "Login", "domain": {"name": "login.example", "chainId": %d},
                 "message": {"user": "bot"}}""".formatted(CHAIN));
        TypedData elsewhere = parse("""
                {"types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}],
                  "Login": [{"name": "user", "type": "string"}]},
                 "primaryType": "Login", "domain": {"name": "login.example", "chainId": 1},
                 "message": {"user": "bot"}}""");
        TypedData safe = parse("""
                {"types": {"EIP712Domain": [{"name": "chainId", "type": "uint256"},
                    {"name": "verifyingContract", "type": "address"}],
                  "SafeMessage": [{"name": "message", "type": "bytes"}]},
                 "primaryType": "SafeMessage", "domain": {"chainId": %d, "verifyingContract": "%s"},
                 "message": {"message": "0x01"}}""".formatted(CHAIN, OTHER.toLowerHex()));

        Recognised message = RECOGNISER.recognise(WALLET, login);
        assertThat(message.terms().standard()).isEqualTo(Standard.MESSAGE);
        assertThat(message.effects()).isEmpty();
        assertThat(message.use()).isEmpty();
        assertThat(RECOGNISER.recognise(WALLET, elsewhere).terms().standard()).isEqualTo(Standard.REFUSED);
        assertThat(RECOGNISER.recognise(WALLET, safe).terms().standard()).isEqualTo(Standard.REFUSED);
    }

    @Test
    void aMessageNamingUsdcOrPermit2AsItsContractIsNeverAMessage() {
        TypedData hello = parse("""
                {"types": {%s, "Hello": [{"name": "text", "type": "string"}]},
                 "primaryType": "Hello", "domain": %s, "message": {"text": "hi"}}""".formatted(USDC_DOMAIN_TYPE, usdcDomain("USD Coin", CHAIN, USDC.contract())));

        assertThat(RECOGNISER.recognise(WALLET, hello).terms().standard()).isEqualTo(Standard.REFUSED);
    }
}
