package dev.guardian.verifier;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Verifies an export read line by line (JSON Lines with its header, or CSV), so an export of any size
 * is checked in constant memory.
 */
public final class ExportVerifier {
    private ExportVerifier() {}

    /**
     * The outcome: the chain's verdict, the export's header if it had one, and notes for the auditor
     * (for instance that the export lists a key other than the one trusted).
     */
    public record Result(VerificationReport report, Optional<ExportHeader> header, List<String> notes) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

    /**
     * @param slice true to accept an export that starts after record 1 (its first link is then taken on trust)
     */
    public static Result verify(Reader export, Collection<AuditPublicKey> trustedKeys, boolean slice)
            throws IOException {
        ChainVerifier verifier = slice ? ChainVerifier.forSlice(trustedKeys) : ChainVerifier.forWholeChain(trustedKeys);
        List<String> notes = new ArrayList<>();
        ExportHeader header = null;
        boolean csv = false;
        BufferedReader lines = export instanceof BufferedReader ? (BufferedReader) export : new BufferedReader(export);
        String line;
        long lineNumber = 0;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // a byte-order mark some editors add
            }
            if (lineNumber == 1 && ExportHeader.isHeader(line)) {
                try {
                    header = ExportHeader.fromLine(line);
                } catch (IllegalArgumentException e) {
                    notes.add(
                            "the header line could not be read (" + e.getMessage() + "); records are verified anyway");
                }
                continue;
            }
            if (lineNumber == 1 && line.equals(AuditCsv.HEADER)) {
                csv = true;
                continue;
            }
            boolean going;
            if (csv) {
                AuditRecord record;
                try {
                    record = AuditCsv.fromRow(line);
                } catch (IllegalArgumentException e) {
                    verifier.fail(
                            verifier.nextSeq(),
                            "line " + lineNumber + " is not a well-formed record: " + e.getMessage());
                    break;
                }
                going = verifier.accept(record);
            } else {
                going = verifier.accept(line);
            }
            if (!going) {
                break;
            }
        }
        VerificationReport report = verifier.finish();
        if (header != null) {
            for (AuditPublicKey listed : header.publicKeys()) {
                if (!trustedKeys.contains(listed)) {
                    notes.add("the export lists the key " + listed.keyId() + ", which is not among the keys you trust");
                }
            }
            if (report.ok() && header.toSeq() != report.lastSeq()) {
                // The records cannot show that their tail was cut off; the header, written with them, can.
                verifier.fail(
                        report.lastSeq() + 1,
                        "the export's header says it ends at record " + header.toSeq() + " but its last record is "
                                + report.lastSeq() + ": records at the end are missing or were added");
                report = verifier.finish();
            }
        }
        return new Result(report, Optional.ofNullable(header), notes);
    }
}
