package dev.guardian.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Checks the wrappers generated from the Solidity: that they carry deployable bytecode of the current
 * contracts and encode calls the way the chain expects. No node is contacted; encoding is local.
 * Deploying and calling the contracts on Anvil is tested elsewhere.
 */
class GeneratedWrappersTest {

    private static final String CONTRACT_ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    private static final String RECIPIENT = "0x00000000000000000000000000000000000b0b00";
    // Hardhat/Anvil's well-known first development key; only used to build a wrapper instance.
    private static final Credentials DEVELOPMENT_KEY =
            Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    // Never sends a request: encodeFunctionCall works offline.
    private final Web3j unreachableNode = Web3j.build(new HttpService("http://127.0.0.1:9"));

    @AfterEach
    void shutDownClient() {
        unreachableNode.shutdown();
    }

    @Test
    void testUsdcBinaryIsCreationBytecodeOfTheCurrentSolidity() {
        assertThat(TestUsdc.BINARY)
                .matches("[0-9a-f]+")
                .hasSizeGreaterThan(1_000)
                // solc's creation prologue: PUSH1 0x80 PUSH1 0x40 MSTORE
                .startsWith("6080604052")
                .contains(asciiHex("Blacklistable: account is blacklisted"));
        assertThat(TestUsdc.BINARY.length() % 2).isZero();
    }

    @Test
    void paymentRouterBinaryCarriesItsLengthCheck() {
        assertThat(PaymentRouter.BINARY)
                .matches("[0-9a-f]+")
                .startsWith("6080604052")
                .contains(asciiHex("PaymentRouter: length mismatch"));
    }

    @Test
    void transferCallIsEncodedWithTheErc20SelectorAndTwoWords() {
        TestUsdc usdc = TestUsdc.load(CONTRACT_ADDRESS, unreachableNode, DEVELOPMENT_KEY, new DefaultGasProvider());

        String calldata =
                usdc.transfer(RECIPIENT, BigInteger.valueOf(1_500_000)).encodeFunctionCall();

        assertThat(TestUsdc.FUNC_TRANSFER).isEqualTo("transfer");
        assertThat(calldata)
                .isEqualTo("0xa9059cbb"
                        + "00000000000000000000000000000000000000000000000000000000000b0b00"
                        + "000000000000000000000000000000000000000000000000000000000016e360");
    }

    @Test
    void blacklistCallsUseCirclesFiatTokenSelectors() {
        TestUsdc usdc = TestUsdc.load(CONTRACT_ADDRESS, unreachableNode, DEVELOPMENT_KEY, new DefaultGasProvider());

        // FiatToken's published selectors: blacklist 0xf9f92be4, unBlacklist 0x1a895266, isBlacklisted 0xfe575a87.
        assertThat(usdc.blacklist(RECIPIENT).encodeFunctionCall()).startsWith("0xf9f92be4");
        assertThat(usdc.unBlacklist(RECIPIENT).encodeFunctionCall()).startsWith("0x1a895266");
        assertThat(usdc.isBlacklisted(RECIPIENT).encodeFunctionCall()).startsWith("0xfe575a87");
        assertThat(usdc.mint(RECIPIENT, BigInteger.ONE).encodeFunctionCall()).startsWith("0x40c10f19");
    }

    @Test
    void eventTopicsMatchTheirSoliditySignatures() {
        assertThat(EventEncoder.encode(TestUsdc.TRANSFER_EVENT))
                .isEqualTo("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
        assertThat(EventEncoder.encode(TestUsdc.BLACKLISTED_EVENT)).isEqualTo(Hash.sha3String("Blacklisted(address)"));
        assertThat(EventEncoder.encode(PaymentRouter.PAID_EVENT))
                .isEqualTo(Hash.sha3String("Paid(address,address,uint256,uint256)"));
    }

    @Test
    void payManyIsEncodedWithDynamicArraysOfAddressesAndAmounts() {
        PaymentRouter router =
                PaymentRouter.load(CONTRACT_ADDRESS, unreachableNode, DEVELOPMENT_KEY, new DefaultGasProvider());

        String calldata = router.payMany(CONTRACT_ADDRESS, List.of(RECIPIENT), List.of(BigInteger.TEN))
                .encodeFunctionCall();

        String selector =
                Hash.sha3String("payMany(address,address[],uint256[])").substring(0, 10);
        // selector, token, two array offsets, then each array as length + one element.
        assertThat(calldata).startsWith(selector).hasSize(10 + 7 * 64);
    }

    @Test
    void sanctionsOracleMockAnswersOnChainalysisSelectors() {
        SanctionsOracleMock oracle =
                SanctionsOracleMock.load(CONTRACT_ADDRESS, unreachableNode, DEVELOPMENT_KEY, new DefaultGasProvider());

        // Chainalysis' published oracle: isSanctioned(address) 0xdf592f7d, addToSanctionsList(address[]) 0xb972dfcc.
        assertThat(oracle.isSanctioned(RECIPIENT).encodeFunctionCall())
                .isEqualTo("0xdf592f7d00000000000000000000000000000000000000000000000000000000000b0b00");
        assertThat(oracle.addToSanctionsList(List.of(RECIPIENT)).encodeFunctionCall())
                .startsWith("0xb972dfcc");
        assertThat(oracle.removeFromSanctionsList(List.of(RECIPIENT)).encodeFunctionCall())
                .startsWith("0xef782431");
        assertThat(SanctionsOracleMock.BINARY).startsWith("6080604052");
    }

    @Test
    void signedPaymentCallsUseFiatTokenV22SelectorsInBothSignatureForms() {
        TestUsdc usdc = TestUsdc.load(CONTRACT_ADDRESS, unreachableNode, DEVELOPMENT_KEY, new DefaultGasProvider());
        BigInteger one = BigInteger.ONE;
        byte[] word = new byte[32];
        byte[] signature = new byte[65];

        // The selectors of Circle's FiatToken v2.2, which the x402 facilitator calls; an overload that
        // came out with other parameter types would change them.
        assertThat(usdc.transferWithAuthorization(
                                RECIPIENT, RECIPIENT, one, one, one, word, BigInteger.valueOf(27), word, word)
                        .encodeFunctionCall())
                .startsWith("0xe3ee160e");
        assertThat(usdc.transferWithAuthorization(RECIPIENT, RECIPIENT, one, one, one, word, signature)
                        .encodeFunctionCall())
                .startsWith("0xcf092995");
        assertThat(usdc.receiveWithAuthorization(
                                RECIPIENT, RECIPIENT, one, one, one, word, BigInteger.valueOf(27), word, word)
                        .encodeFunctionCall())
                .startsWith("0xef55bec6");
        assertThat(usdc.receiveWithAuthorization(RECIPIENT, RECIPIENT, one, one, one, word, signature)
                        .encodeFunctionCall())
                .startsWith("0x88b7ab63");
        assertThat(usdc.cancelAuthorization(RECIPIENT, word, BigInteger.valueOf(27), word, word)
                        .encodeFunctionCall())
                .startsWith("0x5a049a70");
        assertThat(usdc.cancelAuthorization(RECIPIENT, word, signature).encodeFunctionCall())
                .startsWith("0xb7b72899");
        assertThat(usdc.permit(RECIPIENT, RECIPIENT, one, one, BigInteger.valueOf(27), word, word)
                        .encodeFunctionCall())
                .startsWith("0xd505accf");
        assertThat(usdc.permit(RECIPIENT, RECIPIENT, one, one, signature).encodeFunctionCall())
                .startsWith("0x9fd5a6cf");
        assertThat(usdc.authorizationState(RECIPIENT, word).encodeFunctionCall())
                .startsWith("0xe94a0102");
        assertThat(usdc.nonces(RECIPIENT).encodeFunctionCall()).startsWith("0x7ecebe00");
        assertThat(usdc.DOMAIN_SEPARATOR().encodeFunctionCall()).isEqualTo("0x3644e515");
        assertThat(usdc.version().encodeFunctionCall()).isEqualTo("0x54fd4d50");
        assertThat(EventEncoder.encode(TestUsdc.AUTHORIZATIONUSED_EVENT))
                .isEqualTo(Hash.sha3String("AuthorizationUsed(address,bytes32)"));
        assertThat(EventEncoder.encode(TestUsdc.AUTHORIZATIONCANCELED_EVENT))
                .isEqualTo(Hash.sha3String("AuthorizationCanceled(address,bytes32)"));
    }

    private static String asciiHex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.US_ASCII));
    }
}
