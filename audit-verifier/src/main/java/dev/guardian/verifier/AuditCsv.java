package dev.guardian.verifier;

import java.util.ArrayList;
import java.util.List;

/**
 * The CSV form of an export (RFC 4180, one record per line, for spreadsheets): the record's fields as
 * columns and the payload as its canonical JSON. It holds everything the hash covers, so a CSV export
 * verifies just like a JSON Lines one; it carries no public keys.
 */
public final class AuditCsv {
    public static final String HEADER = "seq,recordedAt,requestId,event,actor,prevHash,hash,payload";

    private AuditCsv() {}

    public static String row(AuditRecord record) {
        return record.seq() + "," + field(record.recordedAt()) + ","
                + field(record.requestId() == null ? "" : record.requestId())
                + "," + field(record.event()) + "," + field(record.actor()) + "," + record.prevHash() + ","
                + record.hash()
                + "," + field(Jcs.canonicalize(record.payload()));
    }

    /**
     * Reads a row written by {@link #row}. Canonical JSON never holds a raw line break, so a row is
     * always one line.
     *
     * @throws IllegalArgumentException if the row does not have the eight columns of a record
     */
    public static AuditRecord fromRow(String line) {
        List<String> fields = split(line);
        if (fields.size() != 8) {
            throw new IllegalArgumentException("a CSV record has 8 columns; this row has " + fields.size());
        }
        long seq;
        try {
            seq = Long.parseLong(fields.get(0));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seq is not an integer: " + fields.get(0));
        }
        String requestId = fields.get(2).isEmpty() ? null : fields.get(2);
        return new AuditRecord(
                seq,
                fields.get(1),
                requestId,
                fields.get(3),
                fields.get(4),
                Json.parseObject(fields.get(7)),
                fields.get(5),
                fields.get(6));
    }

    private static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("an unterminated quoted field");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            current.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        current.append(c);
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("text after a quoted field");
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    current.append(line.charAt(i++));
                }
            }
            fields.add(current.toString());
            current.setLength(0);
            if (i >= line.length()) {
                return fields;
            }
            i++; // the comma
        }
    }
}
