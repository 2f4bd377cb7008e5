package dev.guardian.service.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.KillSwitch;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.TokenDomainProfile;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.HeldBudget;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.ShippedSanctionsList;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.TypedDataJsons;
import dev.guardian.signer.Signature;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Typed-data signatures through one Guardian on Anvil, with the FiatToken-shaped test token: an EIP-3009
 * authorization is judged like a transfer, signed, used on chain by a third party (as an x402 facilitator
 * would) and then posted; one never used releases its reservation once it can no longer be used; a freeze
 * cancels what is outstanding on chain. Every refusal leaves nothing signed and the chain untouched.
 */
class TypedDataSignaturesTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final Address SHOP = TestAddresses.fresh();
    private static final Address SANCTIONED = ShippedSanctionsList.addresses().get(0);
    private static final List<AgentSpec> AGENTS = new ArrayList<>();

    private static final AgentSpec PAYER = agent("sig-payer");
    private static final AgentSpec FORGETFUL = agent("sig-forgetful");
    private static final AgentSpec REFUSED = agent("sig-refused");
    private static final AgentSpec THRIFTY = agent("sig-thrifty").budget("10", Duration.ofHours(24));
    private static final AgentSpec FROZEN_LATER = agent("sig-frozen-later");
    private static final AgentSpec PERMITTER = agent("sig-permitter");
    private static final AgentSpec CARELESS = agent("sig-careless").allow(SANCTIONED);
    private static final AgentSpec BIG_SPENDER = agent("sig-big-spender");
    private static final AgentSpec LOGGER_IN = agent("sig-logger-in");
    private static final AgentSpec WATCHED = agent("sig-watched");
    private static final Address SOON_SANCTIONED = TestAddresses.fresh();
    private static final PersonSpec APPROVER = PersonSpec.person("sig-approver", Role.APPROVER);

    private static GuardianInstance guardian;
    private static DevChain chain;
    private static Address usdc;
    private static Address facilitator;
    private static String domain;
    private static Address oracle;

    private static AgentSpec agent(String id) {
        AgentSpec spec = AgentSpec.agent(id).perTransactionCap("100").allow(SHOP);
        AGENTS.add(spec);
        return spec;
    }

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        facilitator = chain.devAccounts().get(3);
        domain = TypedDataJsons.domain(TypedDataJsons.TOKEN_NAME, chain.chainId(), usdc);
        oracle = chain.deploySanctionsOracle();
        WATCHED.allow(SOON_SANCTIONED);
        LOGGER_IN.allowMessage("login.example", chain.chainId(), "Login(string user,uint256 issuedAt)");
        GuardianInstance.Builder builder = GuardianInstance.builder(
                        CHAIN.anvil().rpcUrl(), usdc)
                .property("guardian.worker.authorization-watch-interval", "300ms")
                .property("guardian.sanctions.oracle.enabled", "true")
                .property("guardian.sanctions.oracle.addresses." + chain.chainId(), oracle);
        AGENTS.forEach(builder::agent);
        builder.person(APPROVER);
        guardian = builder.start();
        for (AgentSpec agent : AGENTS) {
            chain.mintUsdc(usdc, guardian.walletOf(agent), usdc("100"));
            chain.setEthBalance(guardian.walletOf(agent), TokenAmount.parse(Asset.ether(), "1"));
        }
        // The relayer pays for the cancellations (RelayedCancellationTest: a wallet without ETH, a relayer without).
        chain.setEthBalance(guardian.relayer(), TokenAmount.parse(Asset.ether(), "1"));
    }

    @AfterAll
    static void stop() {
        guardian.close();
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }

    private static long inSeconds(long seconds) {
        return Instant.now().getEpochSecond() + seconds;
    }

    private static AgentClient.Response authorize(
            AgentSpec agent, Address to, String amount, long validBefore, byte[] nonce) {
        return guardian.client(agent)
                .post(
                        "/v1/typed-data-signatures",
                        TypedDataJsons.transferWithAuthorization(
                                domain,
                                guardian.walletOf(agent),
                                to,
                                usdc(amount).units(),
                                0,
                                validBefore,
                                nonce),
                        Optional.empty());
    }

    private static byte[] signature(AgentClient.Response answer) {
        return Hex.decode(answer.body().path("signature").path("signature").asString());
    }

    private static boolean authorizationState(Address authorizer, byte[] nonce) {
        byte[] answer = guardian.bean(ChainAdapter.class)
                .callLatest(usdc, TypedDataJsons.authorizationStateCall(authorizer, nonce), 32);
        return answer[31] == 1;
    }

    private static void sleepUntil(Instant instant) {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<String> ruleIds(AgentClient.Response answer) {
        List<String> ids = new ArrayList<>();
        for (JsonNode reason : answer.body().path("reasons")) {
            ids.add(reason.path("ruleId").asString());
        }
        return ids;
    }

    @Test
    void signsAnAuthorizationTheTokenAcceptsAndPostsItsReservationOnceUsed() {
        Address wallet = guardian.walletOf(PAYER);
        byte[] nonce = TypedDataJsons.randomNonce();
        long validBefore = inSeconds(300);

        AgentClient.Response answer = authorize(PAYER, SHOP, "5", validBefore, nonce);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text("status")).isEqualTo("AUTHORIZED");
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("PENDING");
        byte[] rsv = signature(answer);
        String digest = answer.body().path("asked").path("digest").asString();
        assertThat(Signature.fromRsv(rsv).recoverSigner(Hex.decode(digest))).isEqualTo(wallet);

        // A third party (the seller's facilitator) uses it: the token checks the signature and moves the money.
        chain.send(
                facilitator,
                usdc,
                TokenAmount.zero(Asset.ether()),
                TypedDataJsons.transferWithAuthorizationCall(
                        wallet, SHOP, usdc("5").units(), 0, validBefore, nonce, rsv));

        assertThat(chain.usdcBalance(usdc, SHOP)).isEqualTo(usdc("5"));
        AgentClient.Response settled = guardian.client(PAYER).awaitStatus(answer.text("id"), SETTLE, "CONFIRMED");
        assertThat(settled.text("status")).isEqualTo("CONFIRMED");
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("POSTED");
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheSameSignatureAndSignsNothingNew() {
        byte[] nonce = TypedDataJsons.randomNonce();
        String body = TypedDataJsons.transferWithAuthorization(
                domain, guardian.walletOf(PAYER), SHOP, usdc("1").units(), 0, inSeconds(300), nonce);

        AgentClient.Response first =
                guardian.client(PAYER).post("/v1/typed-data-signatures", body, Optional.of("sig-retry-1"));
        AgentClient.Response again =
                guardian.client(PAYER).post("/v1/typed-data-signatures", body, Optional.of("sig-retry-1"));

        assertThat(again.text("id")).isEqualTo(first.text("id"));
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(signature(again)).isEqualTo(signature(first));
    }

    @Test
    void releasesTheReservationOfAnAuthorizationNobodyUsedOnceItCanNoLongerBe() {
        AgentClient.Response answer = authorize(FORGETFUL, SHOP, "7", inSeconds(3), TypedDataJsons.randomNonce());
        assertThat(answer.text("status")).isEqualTo("AUTHORIZED");

        // Only the chain's time says it can no longer be used: a block after its validBefore, with it unused.
        sleepUntil(Instant.parse(
                        answer.body().path("signature").path("usableUntil").asString())
                .plusSeconds(2));
        chain.mine();
        AgentClient.Response lapsed = guardian.client(FORGETFUL).awaitStatus(answer.text("id"), SETTLE, "EXPIRED");

        assertThat(lapsed.text("status")).isEqualTo("EXPIRED");
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("VOIDED");
        assertThat(chain.usdcBalance(usdc, guardian.walletOf(FORGETFUL))).isEqualTo(usdc("100"));
    }

    @Test
    void refusesAnAuthorizationUsableLongerThanThePolicyAllows() {
        AgentClient.Response answer = authorize(REFUSED, SHOP, "1", inSeconds(3_600), TypedDataJsons.randomNonce());

        assertThat(answer.status()).isEqualTo(403);
        assertThat(ruleIds(answer)).contains("typed-data.validity-too-long");
        JsonNode validity = answer.body().path("reasons").get(0).path("validity");
        assertThat(validity.path("limit").asString()).isEqualTo("PT10M");
        assertThat(answer.body().path("signature").isMissingNode()).isTrue();
    }

    @Test
    void refusesTypedDataItDoesNotRecognise() {
        String mail = """
                {"typedData": {"types": {"EIP712Domain": [{"name": "name", "type": "string"}],
                  "Mail": [{"name": "contents", "type": "string"}]},
                  "primaryType": "Mail", "domain": {"name": "Ether Mail"}, "message": {"contents": "Hello, Bob!"}}}""";

        AgentClient.Response answer =
                guardian.client(REFUSED).post("/v1/typed-data-signatures", mail, Optional.empty());

        assertThat(answer.status()).isEqualTo(403);
        assertThat(ruleIds(answer)).containsExactly("typed-data.not-allowed");
    }

    @Test
    void refusesAnAuthorizationThatDoesNotCarryTheTokensRealDomain() {
        String lookalike = TypedDataJsons.transferWithAuthorization(
                TypedDataJsons.domain("USD Coin", chain.chainId(), usdc),
                guardian.walletOf(REFUSED),
                SHOP,
                usdc("1").units(),
                0,
                inSeconds(300),
                TypedDataJsons.randomNonce());
        String otherChain = TypedDataJsons.transferWithAuthorization(
                TypedDataJsons.domain(TypedDataJsons.TOKEN_NAME, 8453, usdc),
                guardian.walletOf(REFUSED),
                SHOP,
                usdc("1").units(),
                0,
                inSeconds(300),
                TypedDataJsons.randomNonce());

        for (String body : List.of(lookalike, otherChain)) {
            AgentClient.Response answer =
                    guardian.client(REFUSED).post("/v1/typed-data-signatures", body, Optional.empty());
            assertThat(answer.status()).isEqualTo(403);
            assertThat(ruleIds(answer)).containsExactly("typed-data.not-allowed");
        }
    }

    @Test
    void refusesToSignAwayAnotherAccountsMoney() {
        Address victim = guardian.walletOf(PAYER);
        String body = TypedDataJsons.transferWithAuthorization(
                domain, victim, SHOP, usdc("1").units(), 0, inSeconds(300), TypedDataJsons.randomNonce());

        AgentClient.Response answer =
                guardian.client(REFUSED).post("/v1/typed-data-signatures", body, Optional.empty());

        assertThat(answer.status()).isEqualTo(403);
        assertThat(ruleIds(answer)).containsExactly("typed-data.not-allowed");
    }

    @Test
    void refusesAnAuthorizationToASanctionedPayeeEvenWhenAllowlisted() {
        AgentClient.Response answer =
                authorize(CARELESS, SANCTIONED, "1", inSeconds(300), TypedDataJsons.randomNonce());

        assertThat(answer.status()).isEqualTo(403);
        assertThat(ruleIds(answer)).contains("sanctions.hit");
    }

    @Test
    void refusesAnAuthorizationPastTheBudgetWithTheFigures() {
        AgentClient.Response answer = authorize(THRIFTY, SHOP, "12", inSeconds(300), TypedDataJsons.randomNonce());

        assertThat(answer.status()).isEqualTo(403);
        assertThat(ruleIds(answer)).contains("budget.window");
        JsonNode numbers = answer.body().path("reasons").get(0).path("figures");
        assertThat(numbers.path("limit").asString()).isEqualTo("10");
        assertThat(numbers.path("attempted").asString()).isEqualTo("12");
    }

    @Test
    void malformedTypedDataIsRefusedWithThePointerOfTheField() {
        String body = TypedDataJsons.transferWithAuthorization(
                        domain,
                        guardian.walletOf(REFUSED),
                        SHOP,
                        BigInteger.ONE,
                        0,
                        inSeconds(300),
                        TypedDataJsons.randomNonce())
                .replace("\"value\": \"1\"", "\"value\": \"-1\"");

        AgentClient.Response answer =
                guardian.client(REFUSED).post("/v1/typed-data-signatures", body, Optional.empty());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body().toString()).contains("/typedData/message/value");
    }

    @Test
    void aFreezeCancelsTheOutstandingAuthorizationOnChainSoItCanNoLongerPay() {
        Address wallet = guardian.walletOf(FROZEN_LATER);
        byte[] nonce = TypedDataJsons.randomNonce();
        long validBefore = inSeconds(300);
        AgentClient.Response answer = authorize(FROZEN_LATER, SHOP, "9", validBefore, nonce);
        assertThat(answer.text("status")).isEqualTo("AUTHORIZED");

        guardian.bean(AgentDirectory.class)
                .setFrozen(new AgentId(FROZEN_LATER.id()), true, "compromised", Actor.person("treasurer"));
        AgentClient.Response cancelled = guardian.client(FROZEN_LATER).awaitStatus(answer.text("id"), SETTLE, "FAILED");

        assertThat(cancelled.text("status")).isEqualTo("FAILED");
        assertThat(cancelled.text("failure")).contains("cancelled");
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("VOIDED");
        assertThat(authorizationState(wallet, nonce)).isTrue();
        byte[] use = TypedDataJsons.transferWithAuthorizationCall(
                wallet, SHOP, usdc("9").units(), 0, validBefore, nonce, signature(answer));
        assertThatThrownBy(() -> chain.send(facilitator, usdc, TokenAmount.zero(Asset.ether()), use))
                .hasMessageContaining("reverted");
        assertThat(chain.usdcBalance(usdc, wallet)).isEqualTo(usdc("100"));
    }

    @Test
    void aPermitIsHeldAsExposureUntilUsedAndThenTheAllowanceIsTheTokens() {
        Address wallet = guardian.walletOf(PERMITTER);
        long deadline = inSeconds(300);
        AgentClient.Response answer = guardian.client(PERMITTER)
                .post(
                        "/v1/typed-data-signatures",
                        TypedDataJsons.permit(domain, wallet, SHOP, usdc("20").units(), BigInteger.ZERO, deadline),
                        Optional.empty());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text("status")).isEqualTo("AUTHORIZED");
        assertThat(answer.body().path("effects").get(0).path("type").asString()).isEqualTo("APPROVAL");

        chain.send(
                facilitator,
                usdc,
                TokenAmount.zero(Asset.ether()),
                TypedDataJsons.permitCall(wallet, SHOP, usdc("20").units(), deadline, signature(answer)));

        AgentClient.Response used = guardian.client(PERMITTER).awaitStatus(answer.text("id"), SETTLE, "CONFIRMED");
        assertThat(used.text("status")).isEqualTo("CONFIRMED");
        assertThat(guardian.bean(ChainAdapter.class).allowance(usdc, wallet, SHOP))
                .isEqualTo(usdc("20").units());
    }

    @Test
    void theTypeHashesGuardianSignsAreTheTokensOwn() {
        ChainAdapter reader = guardian.bean(ChainAdapter.class);
        Map<String, String> constants = Map.of(
                "TRANSFER_WITH_AUTHORIZATION_TYPEHASH()", TypedDataRecogniser.TRANSFER_WITH_AUTHORIZATION,
                "RECEIVE_WITH_AUTHORIZATION_TYPEHASH()", TypedDataRecogniser.RECEIVE_WITH_AUTHORIZATION,
                "PERMIT_TYPEHASH()", TypedDataRecogniser.PERMIT,
                "CANCEL_AUTHORIZATION_TYPEHASH()", "CancelAuthorization(address authorizer,bytes32 nonce)");
        constants.forEach((getter, type) -> assertThat(reader.callLatest(usdc, TypedDataJsons.encode(getter), 32))
                .as(getter)
                .isEqualTo(Keccak256.hash(type.getBytes(StandardCharsets.US_ASCII))));
        assertThat(reader.callLatest(usdc, TypedDataJsons.encode("DOMAIN_SEPARATOR()"), 32))
                .isEqualTo(
                        TokenDomains.separator(guardian.bean(TokenDomains.class).configured()));
    }

    @Test
    void anAuthorizationAboveTheCapWaitsForPeopleAndIsSignedOnlyOnceApproved() {
        AgentClient.Response answer = authorize(BIG_SPENDER, SHOP, "150", inSeconds(300), TypedDataJsons.randomNonce());

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.text("status")).isEqualTo("PENDING_APPROVAL");
        assertThat(ruleIds(answer)).contains("cap.per-transaction");
        assertThat(answer.body().path("signature").has("signature")).isFalse();

        AgentClient.Response approval = guardian.client(APPROVER)
                .post(
                        "/v1/approvals/" + answer.text("id") + "/approve",
                        "{\"comment\":\"expected\"}",
                        Optional.empty());

        assertThat(approval.status()).isEqualTo(200);
        AgentClient.Response signed = guardian.client(BIG_SPENDER).request(answer.text("id"));
        assertThat(signed.text("status")).isEqualTo("AUTHORIZED");
        String digest = signed.body().path("asked").path("digest").asString();
        assertThat(Signature.fromRsv(signature(signed)).recoverSigner(Hex.decode(digest)))
                .isEqualTo(guardian.walletOf(BIG_SPENDER));
    }

    @Test
    void theKillSwitchCancelsEveryOutstandingAuthorizationOnChain() {
        Address wallet = guardian.walletOf(PAYER);
        byte[] nonce = TypedDataJsons.randomNonce();
        AgentClient.Response answer = authorize(PAYER, SHOP, "2", inSeconds(300), nonce);
        assertThat(answer.text("status")).isEqualTo("AUTHORIZED");
        KillSwitch killSwitch = guardian.bean(KillSwitch.class);

        killSwitch.set(true, "incident drill", Actor.person("treasurer"));
        try {
            AgentClient.Response cancelled = guardian.client(PAYER).awaitStatus(answer.text("id"), SETTLE, "FAILED");
            assertThat(cancelled.text("failure")).contains("kill switch");
            assertThat(authorizationState(wallet, nonce)).isTrue();
        } finally {
            killSwitch.set(false, "drill over", Actor.person("treasurer"));
        }
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("VOIDED");
    }

    @Test
    void signsAMessageThatMovesNoValueOnlyBecauseThePolicyListsIt() {
        String login = """
                {"typedData": {"types": {"EIP712Domain": [{"name": "name", "type": "string"},
                    {"name": "chainId", "type": "uint256"}],
                  "Login": [{"name": "user", "type": "string"}, {"name": "issuedAt", "type": "uint256"}]},
                  "primaryType": "Login", "domain": {"name": "login.example", "chainId": %d},
                  "message": {"user": "sig-logger-in", "issuedAt": 1796000000}}}""".formatted(chain.chainId());

        AgentClient.Response listed =
                guardian.client(LOGGER_IN).post("/v1/typed-data-signatures", login, Optional.empty());
        AgentClient.Response unlisted =
                guardian.client(PAYER).post("/v1/typed-data-signatures", login, Optional.empty());

        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.text("status")).isEqualTo("CONFIRMED");
        assertThat(listed.body().path("effects").isEmpty()).isTrue();
        String digest = listed.body().path("asked").path("digest").asString();
        assertThat(Signature.fromRsv(signature(listed)).recoverSigner(Hex.decode(digest)))
                .isEqualTo(guardian.walletOf(LOGGER_IN));
        assertThat(unlisted.status()).isEqualTo(403);
        assertThat(ruleIds(unlisted)).containsExactly("typed-data.not-allowed");
    }

    @Test
    void aPayeeNewlyOnASanctionsListHasItsOutstandingAuthorizationCancelled() {
        Address wallet = guardian.walletOf(WATCHED);
        byte[] nonce = TypedDataJsons.randomNonce();
        AgentClient.Response answer = authorize(WATCHED, SOON_SANCTIONED, "3", inSeconds(300), nonce);
        assertThat(answer.text("status")).isEqualTo("AUTHORIZED");

        chain.addToSanctionsOracle(oracle, SOON_SANCTIONED);
        try {
            AgentClient.Response cancelled = guardian.client(WATCHED).awaitStatus(answer.text("id"), SETTLE, "FAILED");
            assertThat(cancelled.text("failure")).contains("sanctions list");
            assertThat(authorizationState(wallet, nonce)).isTrue();
        } finally {
            chain.removeFromSanctionsOracle(oracle, SOON_SANCTIONED);
        }
        assertThat(chain.usdcBalance(usdc, SOON_SANCTIONED)).isEqualTo(usdc("0"));
    }

    @Test
    void refusesToVouchForAUsdcDomainTheChainDisagreesWith() {
        ChainAdapter reader = guardian.bean(ChainAdapter.class);
        Asset.Erc20 token = DevChain.usdcAsset(usdc);

        TokenDomains.Verification wrongName =
                new TokenDomains(reader, token, new TokenDomainProfile("USD Coin", "2"), chain.chainId()).usdc();
        TokenDomains.Verification wrongChain =
                new TokenDomains(reader, token, new TokenDomainProfile(TypedDataJsons.TOKEN_NAME, "2"), 8453).usdc();
        TokenDomains.Verification right = new TokenDomains(
                        reader, token, new TokenDomainProfile(TypedDataJsons.TOKEN_NAME, "2"), chain.chainId())
                .usdc();

        assertThat(wrongName.domain()).isEmpty();
        assertThat(wrongName.problem()).hasValueSatisfying(p -> assertThat(p).contains("eip712-name"));
        assertThat(wrongChain.problem()).hasValueSatisfying(p -> assertThat(p).contains("DOMAIN_SEPARATOR"));
        assertThat(right.problem()).isEmpty();
        assertThat(right.domain()).isPresent();
    }
}
