package dev.guardian.contracts.safe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The Safe 1.4.1 wrappers carry the creation code of the npm package's artifacts byte for byte (not a
 * recompilation of ours) and encode the calls Guardian relies on with Safe's published selectors. No node
 * is contacted; that the deployed code is the canonical deployments' code is checked on Anvil in the service.
 */
class SafeWrappersTest {
    private static final Path ARTIFACTS =
            Path.of("..", "node_modules", "@safe-global", "safe-contracts", "build", "artifacts", "contracts");
    private static final String SAFE = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    private static final String OWNER = "0x00000000000000000000000000000000000b0b00";
    // Hardhat/Anvil's well-known first development key; only used to build a wrapper instance.
    private static final Credentials DEVELOPMENT_KEY =
            Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    // Never sends a request: encodeFunctionCall works offline.
    private final Web3j unreachableNode = Web3j.build(new HttpService("http://127.0.0.1:9"));

    @AfterEach
    void shutDownClient() {
        unreachableNode.shutdown();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "SafeL2.sol/SafeL2",
        "proxies/SafeProxyFactory.sol/SafeProxyFactory",
        "handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler",
        "libraries/MultiSendCallOnly.sol/MultiSendCallOnly"
    })
    void wrapperBinaryIsThePublishedArtifactsCreationCode(String artifact) throws IOException {
        String published = bytecodeOf(ARTIFACTS.resolve(artifact + ".json"));

        assertThat(binaryOf(artifact.substring(artifact.lastIndexOf('/') + 1)))
                .isEqualTo(published.substring(2))
                // solc 0.7.6 as Safe built it: its metadata tail names the compiler version 0.7.6.
                .endsWith("64736f6c63430007060033");
    }

    @Test
    void safeCreationCodeCarriesSafesOwnRevertCodes() {
        // GS026: "Invalid owner provided" (signatures out of order or by a non-owner); GS013: a failed call
        // with neither safeTxGas nor gasPrice set. Guardian reads these when it checks or simulates.
        assertThat(SafeL2.BINARY).contains(asciiHex("GS026")).contains(asciiHex("GS013"));
    }

    @Test
    void safeCallsUseThePublishedSelectors() {
        SafeL2 safe = SafeL2.load(SAFE, unreachableNode, DEVELOPMENT_KEY, new DefaultGasProvider());
        byte[] word = new byte[32];
        BigInteger zero = BigInteger.ZERO;

        String exec = safe.execTransaction(
                        OWNER, zero, new byte[0], zero, zero, zero, zero, OWNER, OWNER, new byte[65], zero)
                .encodeFunctionCall();
        String hash = safe.getTransactionHash(OWNER, zero, new byte[0], zero, zero, zero, zero, OWNER, OWNER, zero)
                .encodeFunctionCall();
        String setup = safe.setup(List.of(OWNER), BigInteger.ONE, OWNER, new byte[0], OWNER, OWNER, zero, OWNER)
                .encodeFunctionCall();

        assertThat(exec)
                .startsWith("0x6a761202")
                .startsWith(selector(
                        "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)"));
        assertThat(hash)
                .startsWith("0xd8d11f78")
                .startsWith(
                        selector(
                                "getTransactionHash(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,uint256)"));
        assertThat(setup)
                .startsWith("0xb63e800d")
                .startsWith(selector("setup(address[],uint256,address,bytes,address,address,uint256,address)"));
        assertThat(safe.approveHash(word).encodeFunctionCall()).startsWith("0xd4d9bdcd");
        assertThat(safe.nonce().encodeFunctionCall()).isEqualTo("0xaffed0e0");
        assertThat(safe.domainSeparator().encodeFunctionCall()).isEqualTo("0xf698da25");
        assertThat(safe.setGuard(OWNER).encodeFunctionCall()).startsWith("0xe19a9dd9");
    }

    @Test
    void factoryHandlerAndMultiSendUseThePublishedSelectors() {
        SafeProxyFactory factory =
                SafeProxyFactory.load(SAFE, unreachableNode, DEVELOPMENT_KEY, new DefaultGasProvider());
        CompatibilityFallbackHandler handler =
                CompatibilityFallbackHandler.load(SAFE, unreachableNode, DEVELOPMENT_KEY, new DefaultGasProvider());
        MultiSendCallOnly multiSend =
                MultiSendCallOnly.load(SAFE, unreachableNode, DEVELOPMENT_KEY, new DefaultGasProvider());

        assertThat(factory.createProxyWithNonce(OWNER, new byte[0], BigInteger.ONE)
                        .encodeFunctionCall())
                .startsWith("0x1688f0b9")
                .startsWith(selector("createProxyWithNonce(address,bytes,uint256)"));
        // ERC-1271's magic value is the selector of isValidSignature(bytes32,bytes): the overload kept.
        assertThat(handler.isValidSignature(new byte[32], new byte[0]).encodeFunctionCall())
                .startsWith("0x1626ba7e");
        assertThat(multiSend.multiSend(new byte[0], BigInteger.ZERO).encodeFunctionCall())
                .startsWith("0x8d80ff0a")
                .startsWith(selector("multiSend(bytes)"));
    }

    private static String bytecodeOf(Path artifact) throws IOException {
        Matcher bytecode =
                Pattern.compile("\"bytecode\"\\s*:\\s*\"(0x[0-9a-fA-F]+)\"").matcher(Files.readString(artifact));
        assertThat(bytecode.find()).as("bytecode in " + artifact).isTrue();
        return bytecode.group(1).toLowerCase();
    }

    private static String binaryOf(String contract) {
        return switch (contract) {
            case "SafeL2" -> SafeL2.BINARY;
            case "SafeProxyFactory" -> SafeProxyFactory.BINARY;
            case "CompatibilityFallbackHandler" -> CompatibilityFallbackHandler.BINARY;
            case "MultiSendCallOnly" -> MultiSendCallOnly.BINARY;
            default -> throw new IllegalArgumentException(contract);
        };
    }

    private static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }

    private static String asciiHex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.US_ASCII));
    }
}
