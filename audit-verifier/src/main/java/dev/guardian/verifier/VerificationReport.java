package dev.guardian.verifier;

import java.util.Objects;
import java.util.Optional;

/**
 * What a verification found: either every record checked out, or the first bad sequence number and what
 * is wrong with it. Records after the last checkpoint are chained but not yet signed; the report says
 * how many, because only a signature proves that the tail was not rewritten.
 *
 * @param records           records read and checked before the verdict (all of them when ok)
 * @param firstSeq          the first record's seq (0 when there were none)
 * @param lastSeq           the last good record's seq (0 when none)
 * @param headHash          the last good record's hash (empty when none)
 * @param checkpoints       checkpoints whose signatures verified
 * @param lastCheckpointSeq seq of the last verified checkpoint (0 when none)
 * @param problem           the first problem, if any
 */
public record VerificationReport(
        long records,
        long firstSeq,
        long lastSeq,
        String headHash,
        int checkpoints,
        long lastCheckpointSeq,
        Optional<Problem> problem) {

    /** The first thing found wrong: which record, and what. */
    public record Problem(long seq, String what) {
        public Problem {
            Objects.requireNonNull(what, "what");
        }
    }

    public VerificationReport {
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(problem, "problem");
    }

    public boolean ok() {
        return problem.isEmpty();
    }

    /** Records after the last checkpoint: chained, but not yet covered by a signature. */
    public long unsignedTail() {
        return records == 0 ? 0 : lastSeq - Math.max(lastCheckpointSeq, firstSeq - 1);
    }

    /** One paragraph for people: OK and what was covered, or FAILED with the first bad seq. */
    public String summary() {
        if (problem.isPresent()) {
            Problem p = problem.get();
            return "FAILED at seq " + p.seq() + ": " + p.what() + " (" + records + " record" + (records == 1 ? "" : "s")
                    + " before it verified)";
        }
        if (records == 0) {
            return "OK: no records to verify";
        }
        StringBuilder out = new StringBuilder("OK: ")
                .append(records)
                .append(" records, seq ")
                .append(firstSeq)
                .append(" to ")
                .append(lastSeq)
                .append(", head ")
                .append(headHash)
                .append("; ");
        if (checkpoints == 0) {
            out.append("no checkpoint: the chain is intact but nothing in it is signed");
        } else {
            out.append(checkpoints)
                    .append(" checkpoint signature")
                    .append(checkpoints == 1 ? "" : "s")
                    .append(" verified, the last at seq ")
                    .append(lastCheckpointSeq);
            long tail = unsignedTail();
            out.append(
                    tail == 0
                            ? ", which covers every record before it"
                            : "; the " + tail + " record" + (tail == 1 ? "" : "s") + " after it "
                                    + (tail == 1 ? "is" : "are") + " chained but not yet signed");
        }
        return out.toString();
    }
}
