package dev.guardian.verifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An Ed25519 public key that signs audit checkpoints: 32 raw bytes, exchanged as a PEM
 * {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo, as {@code openssl pkey -pubin} reads it). Verification
 * uses the JDK's own Ed25519, so the verifier needs no library at all.
 */
public final class AuditPublicKey {
    public static final String ALGORITHM = "Ed25519";
    private static final int LENGTH = 32;
    // DER of SubjectPublicKeyInfo { AlgorithmIdentifier { 1.3.101.112 }, BIT STRING (32 bytes) } up to the key.
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String PEM_END = "-----END PUBLIC KEY-----";

    private final byte[] raw;

    private AuditPublicKey(byte[] raw) {
        this.raw = raw;
    }

    /** The key from its 32 raw bytes (RFC 8032 encoding). */
    public static AuditPublicKey ofRaw(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes; got " + raw.length);
        }
        return new AuditPublicKey(raw.clone());
    }

    /**
     * Reads a PEM {@code PUBLIC KEY} holding an Ed25519 key; text around the block is ignored.
     *
     * @throws IllegalArgumentException if there is no such block or it holds another kind of key
     */
    public static AuditPublicKey fromPem(String pem) {
        Objects.requireNonNull(pem, "pem");
        int begin = pem.indexOf(PEM_BEGIN);
        int end = pem.indexOf(PEM_END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("not a PEM public key: no '" + PEM_BEGIN + "' block");
        }
        String base64 = pem.substring(begin + PEM_BEGIN.length(), end).replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM block is not valid base64");
        }
        if (der.length != SPKI_PREFIX.length + LENGTH
                || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("the PEM block is not an Ed25519 public key");
        }
        return new AuditPublicKey(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length));
    }

    public byte[] raw() {
        return raw.clone();
    }

    /** {@code ed25519:} and the first 16 hex digits of the SHA-256 of the raw key. */
    public String keyId() {
        return "ed25519:" + AuditRecord.sha256Hex(raw).substring(0, 16);
    }

    public String toPem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(spki());
        return PEM_BEGIN + "\n" + base64 + "\n" + PEM_END + "\n";
    }

    /** True when {@code signature} is this key's Ed25519 signature of {@code message}. */
    public boolean verifies(byte[] message, byte[] signature) {
        Objects.requireNonNull(message, "message");
        if (signature == null || signature.length != 64) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(jdkKey());
            verifier.update(message);
            return verifier.verify(signature);
        } catch (SignatureException | InvalidKeyException e) {
            return false; // a malformed signature or a key that is not a curve point verifies nothing
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519 (Java 15 or later has it)", e);
        }
    }

    private PublicKey jdkKey() throws GeneralSecurityException {
        return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(spki()));
    }

    private byte[] spki() {
        byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + LENGTH);
        System.arraycopy(raw, 0, der, SPKI_PREFIX.length, LENGTH);
        return der;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuditPublicKey && Arrays.equals(raw, ((AuditPublicKey) other).raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "AuditPublicKey[" + keyId() + "]";
    }
}
