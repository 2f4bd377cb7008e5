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

/** The 133-byte cover the guard reads behind the owners' signatures, and the digest Guardian signs for it. */
class SafeCoverTest {
    private static final Address GUARD = Address.parse("0x1111111111111111111111111111111111111111");
    private static final Address SAFE = Address.parse("0x2222222222222222222222222222222222222222");
    private static final ChainId BASE = new ChainId(8453);
    private static final SafeTxHash HASH =
            SafeTxHash.parse("0x3333333333333333333333333333333333333333333333333333333333333333");
    private static final BigInteger TOKEN_OUT = BigInteger.valueOf(25_000_000);
    private static final BigInteger ETH_OUT = new BigInteger("50000000000000000");

    private final KeyVault vault = new KeyVault(KeyEncryptionKey.generate());
    private final TransactionSigner guardian = vault.signerFor(vault.generate());

    @Test
    void digestIsKeccakOfTheAbiEncodedSixWords() {
        // Foundry's cast, an implementation nobody here wrote:
        //   cast keccak $(cast abi-encode "f(address,address,uint256,bytes32,uint256,uint256)" \
        //     0x1111…1111 0x2222…2222 8453 0x3333…3333 25000000 50000000000000000)
        assertThat(Hex.encode(SafeCover.digest(GUARD, SAFE, BASE, HASH, TOKEN_OUT, ETH_OUT)))
                .isEqualTo("0x32d484dd53cd5038ea70eb0e9b6142b4f3c25da2c25475308919f0298d1355fb");
    }

    @Test
    void encodesMagicAmountsAndTheSignatureIn133Bytes() {
        SafeCover cover = SafeCover.sign(guardian, GUARD, SAFE, BASE, HASH, TOKEN_OUT, ETH_OUT);

        byte[] blob = cover.encode();

        assertThat(blob).hasSize(133);
        assertThat(Hex.encode(Arrays.copyOf(blob, 4))).isEqualTo("0x47534331");
        assertThat(new BigInteger(1, Arrays.copyOfRange(blob, 4, 36))).isEqualTo(TOKEN_OUT);
        assertThat(new BigInteger(1, Arrays.copyOfRange(blob, 36, 68))).isEqualTo(ETH_OUT);
        assertThat(Arrays.copyOfRange(blob, 68, 133))
                .isEqualTo(cover.guardianSignature().toRsv());
        assertThat(Byte.toUnsignedInt(blob[132])).isIn(27, 28);
        assertThat(SafeCover.decode(blob)).isEqualTo(cover);
        assertThat(cover.signer(GUARD, SAFE, BASE, HASH)).isEqualTo(guardian.address());
    }

    @Test
    void theSignatureIsBoundToGuardSafeChainAndTransaction() {
        SafeCover cover = SafeCover.sign(guardian, GUARD, SAFE, BASE, HASH, TOKEN_OUT, ETH_OUT);
        SafeTxHash other = SafeTxHash.parse("0x4444444444444444444444444444444444444444444444444444444444444444");

        assertThat(cover.signer(SAFE, SAFE, BASE, HASH)).isNotEqualTo(guardian.address());
        assertThat(cover.signer(GUARD, GUARD, BASE, HASH)).isNotEqualTo(guardian.address());
        assertThat(cover.signer(GUARD, SAFE, new ChainId(84532), HASH)).isNotEqualTo(guardian.address());
        assertThat(cover.signer(GUARD, SAFE, BASE, other)).isNotEqualTo(guardian.address());
        // A larger amount is another digest: the cover cannot be stretched after signing.
        assertThat(new SafeCover(TOKEN_OUT.add(BigInteger.ONE), ETH_OUT, cover.guardianSignature())
                        .signer(GUARD, SAFE, BASE, HASH))
                .isNotEqualTo(guardian.address());
    }

    @Test
    void decodingIsStrict() {
        byte[] blob = SafeCover.sign(guardian, GUARD, SAFE, BASE, HASH, TOKEN_OUT, ETH_OUT)
                .encode();
        byte[] noMagic = blob.clone();
        noMagic[0] = 0x48;
        byte[] highS = blob.clone();
        System.arraycopy(SafeSignaturesTest.flipS(Arrays.copyOfRange(blob, 68, 133)), 0, highS, 68, 65);

        assertThatThrownBy(() -> SafeCover.decode(Arrays.copyOf(blob, 132))).hasMessageContaining("133 bytes");
        assertThatThrownBy(() -> SafeCover.decode(noMagic)).hasMessageContaining("magic 0x47534331");
        assertThatThrownBy(() -> SafeCover.decode(highS)).hasMessageContaining("low-s");
    }

    @Test
    void amountsAreUint256() {
        SafeCover cover = SafeCover.sign(guardian, GUARD, SAFE, BASE, HASH, TOKEN_OUT, ETH_OUT);

        assertThatThrownBy(() -> new SafeCover(BigInteger.ONE.negate(), ETH_OUT, cover.guardianSignature()))
                .hasMessageContaining("maxTokenOut");
        assertThatThrownBy(() -> new SafeCover(
                        TOKEN_OUT, TokenAmount.MAX_UINT256.add(BigInteger.ONE), cover.guardianSignature()))
                .hasMessageContaining("maxEthOut");
    }
}
