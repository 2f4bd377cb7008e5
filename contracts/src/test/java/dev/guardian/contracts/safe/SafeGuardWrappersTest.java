package dev.guardian.contracts.safe;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The Safe guard's wrappers encode what Safe 1.4.1 and the guard expect, and the cover format the
 * guard reads can be built from Java: the published vector of contracts/README.md (also checked by the
 * Foundry test {@code test_theCoverDigestAndBlobMatchThePublishedVector}) is reproduced here with
 * Web3j's own encoder and signer. No node is contacted.
 */
class SafeGuardWrappersTest {

    private static final String GUARD = "0x1111111111111111111111111111111111111111";
    private static final String SAFE = "0x2222222222222222222222222222222222222222";
    private static final String USDC = "0x3333333333333333333333333333333333333333";
    private static final String MULTI_SEND = "0x4444444444444444444444444444444444444444";
    private static final String TREASURY = "0x5555555555555555555555555555555555555555";
    private static final String GUARDIAN = "0x5c9b9f48ff0f604480ca5a65f78d46e3ac514b93";
    // Hardhat/Anvil's well-known first development key; only used to build a wrapper instance.
    private static final Credentials DEVELOPMENT_KEY =
            Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    private final Web3j unreachableNode = Web3j.build(new HttpService("http://127.0.0.1:9"));

    @AfterEach
    void shutDownClient() {
        unreachableNode.shutdown();
    }

    @Test
    void theGuardImplementsSafesGuardInterfaceSelectors() {
        GuardianSafeGuard guard = guard();
        // Safe 1.4.1 Guard: checkTransaction 0x75f0bb52, checkAfterExecution 0x93271368 (XOR 0xe6d7a83a).
        String check = guard.checkTransaction(
                        SAFE,
                        BigInteger.ZERO,
                        new byte[0],
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        USDC,
                        USDC,
                        new byte[0],
                        SAFE)
                .encodeFunctionCall();
        String after = guard.checkAfterExecution(new byte[32], true).encodeFunctionCall();
        assertThat(check).startsWith("0x75f0bb52");
        assertThat(after).startsWith("0x93271368");
        assertThat(0x75f0bb52 ^ 0x93271368).isEqualTo(0xe6d7a83a);
        assertThat(GuardianSafeGuard.BINARY).matches("[0-9a-f]+").startsWith("6080604052");
        assertThat(GuardianSafeGuardSetup.BINARY).matches("[0-9a-f]+").startsWith("60");
    }

    @Test
    void setupGuardCalldataIsTheSelectorThenTheConfigurationAsOneDynamicTuple() {
        GuardianSafeGuardSetup setup =
                GuardianSafeGuardSetup.load(GUARD, unreachableNode, DEVELOPMENT_KEY, new DefaultGasProvider());
        GuardianSafeGuardSetup.SafeConfig config = new GuardianSafeGuardSetup.SafeConfig(
                GUARDIAN,
                USDC,
                MULTI_SEND,
                BigInteger.valueOf(1_000_000_000L),
                BigInteger.valueOf(86_400),
                List.of(TREASURY));

        String calldata = setup.setupGuard(config).encodeFunctionCall();

        String selector = Hash.sha3String("setupGuard((address,address,address,uint256,uint256,address[]))")
                .substring(0, 10);
        assertThat(calldata)
                .isEqualTo(selector
                        + word("20") // the tuple is dynamic: its offset
                        + word(GUARDIAN.substring(2))
                        + word(USDC.substring(2))
                        + word(MULTI_SEND.substring(2))
                        + word("3b9aca00") // 1,000 USDC per window
                        + word("015180") // one day
                        + word("c0") // treasuryOwners: offset inside the tuple, after its six head words
                        + word("01")
                        + word(TREASURY.substring(2)));
    }

    @Test
    void configureTakesTheSameTupleAsTheSetup() {
        GuardianSafeGuard.SafeConfig config =
                new GuardianSafeGuard.SafeConfig(GUARDIAN, USDC, MULTI_SEND, BigInteger.ONE, BigInteger.ONE, List.of());
        String calldata = guard().configure(config).encodeFunctionCall();
        assertThat(calldata)
                .startsWith(Hash.sha3String("configure((address,address,address,uint256,uint256,address[]))")
                        .substring(0, 10));
    }

    @Test
    void theCoverDigestAndBlobMatchThePublishedVector() {
        byte[] safeTxHash = HexFormat.of().parseHex("33".repeat(32));
        BigInteger maxTokenOut = BigInteger.valueOf(12_500_000); // 12.5 USDC
        BigInteger maxEthOut = BigInteger.TEN.pow(15);
        BigInteger validUntil = BigInteger.valueOf(1_767_225_600L); // 2026-01-01T00:00:00Z
        // keccak256(abi.encode(guard, safe, chainId, safeTxHash, maxTokenOut, maxEthOut, validUntil)): seven words.
        String encoded = TypeEncoder.encode(new Address(GUARD))
                + TypeEncoder.encode(new Address(SAFE))
                + TypeEncoder.encode(new Uint256(8453))
                + TypeEncoder.encode(new Bytes32(safeTxHash))
                + TypeEncoder.encode(new Uint256(maxTokenOut))
                + TypeEncoder.encode(new Uint256(maxEthOut))
                + TypeEncoder.encode(new Uint256(validUntil));
        byte[] digest = Hash.sha3(HexFormat.of().parseHex(encoded));
        assertThat(HexFormat.of().formatHex(digest))
                .isEqualTo("4222c2f7d5a84a588d587dc615f90fe1c4e1b74930572332e8cc3192177b141c");

        ECKeyPair guardianKey = ECKeyPair.create(BigInteger.valueOf(0xc0ffe));
        assertThat("0x" + Keys.getAddress(guardianKey)).isEqualTo(GUARDIAN);
        // Raw digest: no EIP-191 prefix, so needToHash is false.
        Sign.SignatureData signature = Sign.signMessage(digest, guardianKey, false);
        String blob = "47534332"
                + TypeEncoder.encode(new Uint256(maxTokenOut))
                + TypeEncoder.encode(new Uint256(maxEthOut))
                + TypeEncoder.encode(new Uint256(validUntil))
                + HexFormat.of().formatHex(signature.getR())
                + HexFormat.of().formatHex(signature.getS())
                + HexFormat.of().formatHex(signature.getV());
        assertThat(blob)
                .hasSize(2 * 165)
                .isEqualTo("47534332"
                        + word("bebc20")
                        + word("038d7ea4c68000")
                        + word("6955b900")
                        + "e8da1e27776f7d5d98726c7db45881728cacf3f787df899a2ba1ed2e1db557a8"
                        + "4d50513b7a1cb5a22d010f050644e7e7954bf49d83ee9c80b6697f33255158a1"
                        + "1b");
    }

    @Test
    void refusalsAreCustomErrorsWhoseSelectorsAreTheirRuleIds() {
        // What a reverted execTransaction carries (Safe bubbles the guard's revert data up unchanged).
        assertThat(selector(GuardianSafeGuard.USDCOUTFLOWEXCEEDSCOVER_ERROR)).isEqualTo("0x1f61161e");
        assertThat(selector(GuardianSafeGuard.USDCOUTFLOWEXCEEDSCOVER_ERROR))
                .isEqualTo(Hash.sha3String("UsdcOutflowExceedsCover(uint256,uint256)")
                        .substring(0, 10));
        assertThat(selector(GuardianSafeGuard.USDCWINDOWCAPEXCEEDED_ERROR))
                .isEqualTo(Hash.sha3String("UsdcWindowCapExceeded(uint256,uint256,uint256,uint256)")
                        .substring(0, 10));
        assertThat(selector(GuardianSafeGuard.TREASURYSIGNATUREREQUIRED_ERROR))
                .isEqualTo(Hash.sha3String("TreasurySignatureRequired(address,bytes4)")
                        .substring(0, 10));
        assertThat(selector(GuardianSafeGuard.COVERSIGNATUREINVALID_ERROR))
                .isEqualTo(Hash.sha3String("CoverSignatureInvalid(address,address)")
                        .substring(0, 10));
    }

    private static String selector(CustomError error) {
        return CustomErrorEncoder.encode(error).substring(0, 10);
    }

    private GuardianSafeGuard guard() {
        return GuardianSafeGuard.load(GUARD, unreachableNode, DEVELOPMENT_KEY, new DefaultGasProvider());
    }

    private static String word(String hex) {
        return "0".repeat(64 - hex.length()) + hex.toLowerCase(Locale.ROOT);
    }
}
