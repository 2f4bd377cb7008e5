package dev.guardian.verifier;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds well-formed chains with checkpoints signed by a fresh Ed25519 key, as Guardian would. */
final class TestChain {
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final KeyPair keys;
    private final AuditPublicKey publicKey;
    private final List<AuditRecord> records = new ArrayList<>();
    private Instant clock = Instant.parse("2026-11-26T10:00:00Z");

    TestChain() {
        try {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] spki = keys.getPublic().getEncoded();
        publicKey = AuditPublicKey.ofRaw(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }

    AuditPublicKey publicKey() {
        return publicKey;
    }

    List<AuditRecord> records() {
        return records;
    }

    TestChain append(String event, Map<String, ?> payload) {
        long seq = records.size() + 1;
        String prev = records.isEmpty()
                ? AuditRecord.GENESIS_HASH
                : records.get(records.size() - 1).hash();
        clock = clock.plusMillis(1);
        records.add(AuditRecord.create(
                seq,
                TIME.format(clock),
                UUID.nameUUIDFromBytes(new byte[] {(byte) seq}).toString(),
                event,
                "guardian",
                payload,
                prev));
        return this;
    }

    TestChain checkpoint() {
        AuditRecord head = records.get(records.size() - 1);
        byte[] message = Checkpoint.signedMessage(head.seq(), head.hash(), publicKey.keyId());
        Checkpoint checkpoint = new Checkpoint(head.seq(), head.hash(), publicKey.keyId(), sign(message));
        long seq = records.size() + 1;
        clock = clock.plusMillis(1);
        records.add(AuditRecord.create(
                seq, TIME.format(clock), null, Checkpoint.EVENT, "guardian", checkpoint.toPayload(), head.hash()));
        return this;
    }

    /** Ten records with a checkpoint after the fourth and one after the ninth, as in production. */
    static TestChain typical() {
        TestChain chain = new TestChain();
        for (int i = 1; i <= 4; i++) {
            chain.append("decision", Map.of("verdict", "ALLOW", "amount", String.valueOf(i * 10), "n", i));
        }
        chain.checkpoint();
        for (int i = 6; i <= 9; i++) {
            chain.append("submitted", Map.of("txHash", "0x" + "ab".repeat(32), "nonce", i));
        }
        chain.checkpoint();
        return chain;
    }

    byte[] sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> lines() {
        return new ArrayList<>(records.stream().map(AuditRecord::toLine).toList());
    }
}
