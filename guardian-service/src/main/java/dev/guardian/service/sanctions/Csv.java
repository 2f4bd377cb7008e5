package dev.guardian.service.sanctions;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RFC 4180 reader: comma-separated fields, double-quoted fields that may hold commas, line
 * breaks and doubled quotes, records ended by LF or CRLF. Enough for OFAC's sdn.csv and plain lists;
 * no dependency for it.
 */
final class Csv {
    private final Reader in;
    private int peeked = -2;
    private long record;

    Csv(Reader in) {
        this.in = in;
    }

    /** The 1-based number of the record last returned. */
    long recordNumber() {
        return record;
    }

    /** The next record's fields, or null at the end of the input. */
    List<String> next() throws IOException {
        if (peek() == -1) {
            return null;
        }
        record++;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            int c = read();
            if (quoted) {
                if (c == -1) {
                    throw new MalformedListException("record " + record + " ends inside a quoted field");
                }
                if (c == '"') {
                    if (peek() == '"') {
                        read();
                        field.append('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append((char) c);
                }
                continue;
            }
            if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == -1) {
                fields.add(field.toString());
                return fields;
            } else if (c == '\r' && peek() == '\n') {
                read();
                fields.add(field.toString());
                return fields;
            } else {
                field.append((char) c);
            }
        }
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = in.read();
        }
        return peeked;
    }

    private int read() throws IOException {
        int c = peek();
        peeked = -2;
        return c;
    }
}
