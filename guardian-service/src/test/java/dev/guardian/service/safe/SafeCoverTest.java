package dev.guardian.service.safe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.TransactionSigner;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The 165-byte cover the guard reads behind the owners' signatures, and the digest Guardian signs for it. */
class SafeCoverTest {
    private static final Address GUARD = Address.parse("0x1111111111111111111111111111111111111111");
    private static final Address SAFE = Address.parse("0x2222222222222222222222222222222222222222");
    private static final ChainId BASE = new ChainId(8453);
    private static final SafeTxHash HASH =
            SafeTxHash.parse("0x3333333333333333333333333333333333333333333333333333333333333333");
    private static final BigInteger TOKEN_OUT = BigInteger.valueOf(25_000_000);
    private static final BigInteger ETH_OUT = new BigInteger("50000000000000000");
    private static final long VALID_UNTIL = 1_767_225_600L; // 2026-01-01T00:00:00Z

    private final KeyVault vault = new KeyVault(KeyEncryptionKey.generate());
    private final TransactionSigner guardian = vault.signerFor(vault.generate());

    @Test
    void digestIsKeccakOfTheAbiEncodedSevenWords() {
        // Foundry's cast, an implementation nobody here wrote:
        //   cast keccak $(cast abi-encode "f(address,address,uint256,bytes32,uint256,uint256,uint256)" \
        //     0x1111…1111 0x2222…2222 8453 0x3333…3333 25000000 50000000000000000 1767225600)
        assertThat(Hex.encode(SafeCover.digest(GUARD, SAFE, BASE, HASH, TOKEN_OUT, ETH_OUT, VALID_UNTIL)))
                .isEqualTo("0x2e096a76e6d3bd40fbc15344f8d0d96b3d904109246b7866169960051bc7a37d");
    }

    @Test
    void encodesMagicAmountsDeadlineAndTheSignatureIn165Bytes() {
        SafeCover cover = SafeCover.sign(guardian, GUARD, SAFE, BASE, HASH, TOKEN_OUT, ETH_OUT, VALID_UNTIL);

        byte[] blob = cover.encode();

        assertThat(blob).hasSize(165);
        assertThat(Hex.encode(Arrays.copyOf(blob, 4))).isEqualTo("0x47534332");
        assertThat(new BigInteger(1, Arrays.copyOfRange(blob, 4, 36))).isEqualTo(TOKEN_OUT);
        assertThat(new BigInteger(1, Arrays.copyOfRange(blob, 36, 68))).isEqualTo(ETH_OUT);
        assertThat(new BigInteger(1, Arrays.copyOfRange(blob, 68, 100))).isEqualTo(VALID_UNTIL);
        assertThat(Arrays.copyOfRange(blob, 100, 165))
                .isEqualTo(cover.guardianSignature().toRsv());
        assertThat(Byte.toUnsignedInt(blob[164])).isIn(27, 28);
        assertThat(SafeCover.decode(blob)).isEqualTo(cover);
        assertThat(cover.signer(GUARD, SAFE, BASE, HASH)).isEqualTo(guardian.address());
    }

    @Test
    void theSignatureIsBoundToGuardSafeChainAndTransaction() {
        SafeCover cover = SafeCover.sign(guardian, GUARD, SAFE, BASE, HASH, TOKEN_OUT, ETH_OUT, VALID_UNTIL);
        SafeTxHash other = SafeTxHash.parse("0x4444444444444444444444444444444444444444444444444444444444444444");

        assertThat(cover.signer(SAFE, SAFE, BASE, HASH)).isNotEqualTo(guardian.address());
        assertThat(cover.signer(GUARD, GUARD, BASE, HASH)).isNotEqualTo(guardian.address());
        assertThat(cover.signer(GUARD, SAFE, new ChainId(84532), HASH)).isNotEqualTo(guardian.address());
        assertThat(cover.signer(GUARD, SAFE, BASE, other)).isNotEqualTo(guardian.address());
        // A larger amount is another digest: the cover cannot be stretched after signing.
        assertThat(new SafeCover(TOKEN_OUT.add(BigInteger.ONE), ETH_OUT, VALID_UNTIL, cover.guardianSignature())
                        .signer(GUARD, SAFE, BASE, HASH))
                .isNotEqualTo(guardian.address());
        // So is a later deadline: the agent cannot keep co-signed bytes usable longer than Guardian said.
        assertThat(new SafeCover(TOKEN_OUT, ETH_OUT, VALID_UNTIL + 1, cover.guardianSignature())
                        .signer(GUARD, SAFE, BASE, HASH))
                .isNotEqualTo(guardian.address());
    }

    @Test
    void decodingIsStrict() {
        byte[] blob = SafeCover.sign(guardian, GUARD, SAFE, BASE, HASH, TOKEN_OUT, ETH_OUT, VALID_UNTIL)
                .encode();
        byte[] noMagic = blob.clone();
        noMagic[0] = 0x48;
        byte[] highS = blob.clone();
        System.arraycopy(SafeSignaturesTest.flipS(Arrays.copyOfRange(blob, 100, 165)), 0, highS, 100, 65);
        byte[] farFuture = blob.clone();
        farFuture[68] = 0x01; // validUntil past 2^63: no Unix time Guardian ever signs

        assertThatThrownBy(() -> SafeCover.decode(Arrays.copyOf(blob, 164))).hasMessageContaining("165 bytes");
        assertThatThrownBy(() -> SafeCover.decode(noMagic)).hasMessageContaining("magic 0x47534332");
        assertThatThrownBy(() -> SafeCover.decode(farFuture)).hasMessageContaining("validUntil");
        assertThatThrownBy(() -> SafeCover.decode(highS)).hasMessageContaining("low-s");
    }

    @Test
    void amountsAreUint256() {
        SafeCover cover = SafeCover.sign(guardian, GUARD, SAFE, BASE, HASH, TOKEN_OUT, ETH_OUT, VALID_UNTIL);

        assertThatThrownBy(
                        () -> new SafeCover(BigInteger.ONE.negate(), ETH_OUT, VALID_UNTIL, cover.guardianSignature()))
                .hasMessageContaining("maxTokenOut");
        assertThatThrownBy(() -> new SafeCover(
                        TOKEN_OUT, TokenAmount.MAX_UINT256.add(BigInteger.ONE), VALID_UNTIL, cover.guardianSignature()))
                .hasMessageContaining("maxEthOut");
        assertThatThrownBy(() -> new SafeCover(TOKEN_OUT, ETH_OUT, -1, cover.guardianSignature()))
                .hasMessageContaining("validUntil");
    }
}
