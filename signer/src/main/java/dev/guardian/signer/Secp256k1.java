package dev.guardian.signer;

import dev.guardian.policy.Address;
import dev.guardian.policy.Keccak256;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * Ethereum's secp256k1 arithmetic on top of Bouncy Castle: address derivation, deterministic signing
 * and public-key recovery.
 *
 * <p>Bouncy Castle takes the private scalar as a {@link BigInteger}, which cannot be wiped; it is
 * created per operation and dropped on return, while the byte arrays that carry the key between
 * operations are zeroed by their owners.
 */
final class Secp256k1 {
    static final int PRIVATE_KEY_LENGTH = 32;
    static final int DIGEST_LENGTH = 32;

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
    static final BigInteger N = DOMAIN.getN();
    static final BigInteger HALF_N = N.shiftRight(1);
    private static final byte[] N_BYTES = BigIntegers.asUnsignedByteArray(PRIVATE_KEY_LENGTH, N);

    private Secp256k1() {}

    /** True when the 32 bytes, read as an unsigned big-endian number k, satisfy 0 < k < n. */
    static boolean isValidPrivateKey(byte[] privateKey) {
        if (privateKey == null || privateKey.length != PRIVATE_KEY_LENGTH) {
            return false;
        }
        // Compared as bytes so that validation does not leave an unwipeable BigInteger behind.
        boolean allZero = true;
        for (byte b : privateKey) {
            allZero &= b == 0;
        }
        return !allZero && Arrays.compareUnsigned(privateKey, N_BYTES) < 0;
    }

    /** The address a valid private key controls. */
    static Address addressOf(byte[] privateKey) {
        ECPoint publicKey = new FixedPointCombMultiplier().multiply(DOMAIN.getG(), new BigInteger(1, privateKey));
        return addressOf(publicKey);
    }

    /** Last 20 bytes of the Keccak-256 of the uncompressed public key without its 0x04 prefix. */
    static Address addressOf(ECPoint publicKey) {
        byte[] uncompressed = publicKey.normalize().getEncoded(false);
        byte[] hash = Keccak256.hash(Arrays.copyOfRange(uncompressed, 1, uncompressed.length));
        return Address.of(Arrays.copyOfRange(hash, hash.length - Address.LENGTH, hash.length));
    }

    /**
     * Signs a digest with RFC 6979 nonces (HMAC-SHA256), normalises s to the lower half of the order
     * (EIP-2), and finds the recovery id by recovering the signer and comparing it with
     * {@code signer}. That comparison also proves the key is the one for {@code signer}.
     *
     * @return the signature, or empty if the private key does not control {@code signer}
     */
    static Optional<Signature> sign(byte[] privateKey, byte[] digest, Address signer) {
        if (digest == null || digest.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("a digest to sign is 32 bytes");
        }
        ECDSASigner ecdsa = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        ecdsa.init(true, new ECPrivateKeyParameters(new BigInteger(1, privateKey), DOMAIN));
        BigInteger[] rs = ecdsa.generateSignature(digest);
        BigInteger r = rs[0];
        BigInteger s = rs[1].compareTo(HALF_N) > 0 ? N.subtract(rs[1]) : rs[1];
        for (int recoveryId = 0; recoveryId <= 1; recoveryId++) {
            if (recover(digest, r, s, recoveryId).filter(signer::equals).isPresent()) {
                return Optional.of(new Signature(toBytes32(r), toBytes32(s), recoveryId));
            }
        }
        return Optional.empty();
    }

    /**
     * Recovers the signer's address (SEC 1 v2, section 4.1.6) for recovery id 0 or 1, i.e. for an R
     * whose x coordinate is r itself; x = r + n would need r < p - n, which has negligible probability
     * and which Ethereum's y-parity cannot express anyway.
     */
    static Optional<Address> recover(byte[] digest, BigInteger r, BigInteger s, int recoveryId) {
        ECPoint rPoint;
        try {
            byte[] compressed = new byte[1 + 32];
            compressed[0] = (byte) ((recoveryId & 1) == 1 ? 0x03 : 0x02);
            System.arraycopy(toBytes32(r), 0, compressed, 1, 32);
            rPoint = DOMAIN.getCurve().decodePoint(compressed);
        } catch (IllegalArgumentException notOnCurve) {
            return Optional.empty();
        }
        // secp256k1 has cofactor 1, so every point on the curve has order n: no n*R check needed.
        BigInteger e = new BigInteger(1, digest);
        BigInteger rInverse = r.modInverse(N);
        BigInteger u1 = N.subtract(e.mod(N)).multiply(rInverse).mod(N);
        BigInteger u2 = s.multiply(rInverse).mod(N);
        ECPoint publicKey = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), u1, rPoint, u2);
        return publicKey.isInfinity() ? Optional.empty() : Optional.of(addressOf(publicKey));
    }

    static byte[] toBytes32(BigInteger value) {
        return BigIntegers.asUnsignedByteArray(32, value);
    }
}
