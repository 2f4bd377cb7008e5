package dev.guardian.verifier;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks an audit chain record by record, in one pass and constant memory: the sequence has no gap and
 * no repeat, each record links to the previous one's hash, each hash is the SHA-256 of the record's
 * canonical body, and each checkpoint is a valid Ed25519 signature, by a trusted key, of the record
 * just before it. Stops at the first problem: after that nothing can be trusted anyway.
 *
 * <p>Guardian runs this same class over its live table; the offline command runs it over an export.
 */
public final class ChainVerifier {
    private final Map<String, AuditPublicKey> trustedKeys = new LinkedHashMap<>();
    private final boolean fromRecordOne;

    private long records;
    private long firstSeq;
    private long lastSeq;
    private String headHash = "";
    private int checkpoints;
    private long lastCheckpointSeq;
    private VerificationReport.Problem problem;
    /** A record arrived ahead of its turn; the next one tells a deletion from a swapped pair. */
    private AuditRecord early;

    private ChainVerifier(Collection<AuditPublicKey> keys, boolean fromRecordOne) {
        for (AuditPublicKey key : keys) {
            trustedKeys.put(key.keyId(), key);
        }
        this.fromRecordOne = fromRecordOne;
    }

    /** A verifier for a whole chain: it must start at record 1, linked to the genesis hash. */
    public static ChainVerifier forWholeChain(Collection<AuditPublicKey> trustedKeys) {
        return new ChainVerifier(trustedKeys, true);
    }

    /**
     * A verifier for a slice of the chain that may start anywhere: the first record's link to the one
     * before it is taken on trust, and only what follows is proven.
     */
    public static ChainVerifier forSlice(Collection<AuditPublicKey> trustedKeys) {
        return new ChainVerifier(trustedKeys, false);
    }

    /** Reads and checks one exported line. Returns false once a problem has been found. */
    public boolean accept(String line) {
        if (problem != null) {
            return false;
        }
        AuditRecord record;
        try {
            record = AuditRecord.fromLine(line);
        } catch (IllegalArgumentException e) {
            return fail(
                    expectedSeq(),
                    "the record after seq " + lastSeq + " is not a well-formed record: " + e.getMessage());
        }
        return accept(record);
    }

    /** Checks the next record. Returns false once a problem has been found. */
    public boolean accept(AuditRecord record) {
        if (problem != null) {
            return false;
        }
        long expected = expectedSeq();
        if (early != null) {
            if (record.seq() == expected) {
                return fail(
                        expected,
                        "record " + early.seq() + " comes before record " + expected + ": records were reordered");
            }
            return fail(expected, missing(expected));
        }
        if (records == 0 && !fromRecordOne) {
            // a slice: whatever it starts with is the anchor
        } else if (record.seq() > expected) {
            early = record;
            return true;
        } else if (record.seq() < expected) {
            return fail(
                    record.seq(),
                    "record " + record.seq() + " appears again after record " + (expected - 1)
                            + ": a record was inserted or records were reordered");
        }
        String previous = records == 0 ? (fromRecordOne ? AuditRecord.GENESIS_HASH : record.prevHash()) : headHash;
        if (!record.prevHash().equals(previous)) {
            return fail(
                    record.seq(),
                    "record " + record.seq() + " does not link to " + describePrevious(record.seq())
                            + ": its prevHash is " + record.prevHash() + " but that hash is " + previous
                            + " (a record before it was changed, removed or inserted)");
        }
        if (!record.hashIsCorrect()) {
            return fail(
                    record.seq(),
                    "record " + record.seq() + " does not match its hash: its content was changed"
                            + " (the hash of its canonical form is " + record.computedHash() + ", the record says "
                            + record.hash() + ")");
        }
        if (Checkpoint.EVENT.equals(record.event()) && !checkpointHolds(record)) {
            return false;
        }
        if (records == 0) {
            firstSeq = record.seq();
        }
        records++;
        lastSeq = record.seq();
        headHash = record.hash();
        return true;
    }

    private boolean checkpointHolds(AuditRecord record) {
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.fromPayload(record.payload());
        } catch (IllegalArgumentException e) {
            return fail(record.seq(), "checkpoint " + record.seq() + " is malformed: " + e.getMessage());
        }
        if (checkpoint.headSeq() != record.seq() - 1 || !checkpoint.headHash().equals(record.prevHash())) {
            return fail(
                    record.seq(),
                    "checkpoint " + record.seq() + " does not sign the record before it (it names seq "
                            + checkpoint.headSeq() + " with hash " + checkpoint.headHash() + ")");
        }
        AuditPublicKey key = trustedKeys.get(checkpoint.keyId());
        if (key == null) {
            return fail(
                    record.seq(),
                    "checkpoint " + record.seq() + " is signed by " + checkpoint.keyId()
                            + ", which is not a trusted audit key (trusted: " + String.join(", ", trustedKeys.keySet())
                            + ")");
        }
        if (!key.verifies(checkpoint.signedMessage(), checkpoint.signature())) {
            return fail(
                    record.seq(),
                    "checkpoint " + record.seq() + " has a signature that does not verify with " + checkpoint.keyId()
                            + ": the checkpoint is forged or was altered");
        }
        checkpoints++;
        lastCheckpointSeq = record.seq();
        return true;
    }

    /**
     * Records a problem found by a check outside the chain itself (Guardian compares its table's
     * columns with each record). Only the first problem is kept. Always returns false.
     */
    public boolean fail(long seq, String what) {
        if (problem == null) {
            problem = new VerificationReport.Problem(seq, what);
        }
        return false;
    }

    public boolean failed() {
        return problem != null;
    }

    /** Checks every line in order and returns the verdict. */
    public VerificationReport finishAfter(Iterable<String> lines) {
        for (String line : lines) {
            if (!accept(line)) {
                break;
            }
        }
        return finish();
    }

    /** The verdict after the last record. */
    public VerificationReport finish() {
        if (early != null && problem == null) {
            long expected = expectedSeq();
            fail(expected, missing(expected));
        }
        return new VerificationReport(
                records, firstSeq, lastSeq, headHash, checkpoints, lastCheckpointSeq, Optional.ofNullable(problem));
    }

    private String missing(long expected) {
        return "record " + expected + " is missing: "
                + (expected == 1
                        ? "the chain starts at record " + early.seq()
                        : "record " + early.seq() + " follows record " + (expected - 1))
                + " (a record was deleted)";
    }

    /** The seq the next record must have. */
    public long nextSeq() {
        return expectedSeq();
    }

    private long expectedSeq() {
        return records == 0 ? 1 : lastSeq + 1;
    }

    private String describePrevious(long seq) {
        return records == 0 ? "the start of the chain" : "record " + (seq - 1);
    }
}
