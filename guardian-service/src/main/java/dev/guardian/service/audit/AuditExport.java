package dev.guardian.service.audit;

import dev.guardian.verifier.AuditCsv;
import dev.guardian.verifier.AuditRecord;
import dev.guardian.verifier.ExportHeader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the audit log as JSON Lines (a header line with the audit public keys, then one canonical
 * record per line) or CSV, straight from a database cursor to the output: rows are fetched
 * {@value #FETCH_SIZE} at a time and written as they come, so memory stays flat however long the log is.
 *
 * <p>An export of the whole log first appends a checkpoint over the head (unless the head already is
 * one), so that every record in it is covered by a signature.
 */
public class AuditExport {
    static final int FETCH_SIZE = 500;

    /** The formats, with their media types. */
    public enum Format {
        JSONL("application/jsonl", "jsonl"),
        CSV("text/csv", "csv");

        private final String mediaType;
        private final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        public String mediaType() {
            return mediaType;
        }

        public String extension() {
            return extension;
        }
    }

    /** Which records an export holds: {@code fromSeq} to {@code toSeq}, both included (toSeq 0: none). */
    public record Range(long fromSeq, long toSeq) {
        public Range {
            if (fromSeq < 1 || toSeq < 0) {
                throw new IllegalArgumentException("an export starts at seq 1 or later");
            }
        }
    }

    private final JdbcTemplate streaming;
    private final TransactionTemplate transactions;
    private final TransactionTemplate readOnly;
    private final AuditLog audit;
    private final AuditKeys keys;
    private final Clock clock;

    AuditExport(DataSource dataSource, TransactionTemplate transactions, AuditLog audit, AuditKeys keys, Clock clock) {
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(FETCH_SIZE);
        this.transactions = transactions;
        this.readOnly = new TransactionTemplate(transactions.getTransactionManager());
        this.readOnly.setReadOnly(true);
        this.audit = audit;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * Settles which records an export holds. Without {@code toSeq} it runs to the head, after first
     * signing the head with a checkpoint.
     *
     * @throws IllegalArgumentException if the range is empty or inverted
     */
    public Range range(Optional<Long> fromSeq, Optional<Long> toSeq) {
        long from = fromSeq.orElse(1L);
        if (from < 1) {
            throw new IllegalArgumentException("fromSeq must be 1 or more");
        }
        if (toSeq.isPresent() && toSeq.get() < from) {
            throw new IllegalArgumentException("toSeq must not be below fromSeq");
        }
        if (toSeq.isEmpty()) {
            transactions.execute(tx -> audit.checkpoint());
        }
        // Appends are serialised and numbered under one lock, so every seq up to the visible head is committed.
        long head = audit.head().map(AuditRecord::seq).orElse(0L);
        if (head > 0 && from > head) {
            throw new IllegalArgumentException("fromSeq " + from + " is beyond the last record, " + head);
        }
        return new Range(from, Math.min(toSeq.orElse(head), head));
    }

    /** Writes the export and returns how many records it holds. The stream is flushed, not closed. */
    public long write(Range range, Format format, OutputStream out) {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        long[] written = {0};
        try {
            if (format == Format.JSONL) {
                writer.write(new ExportHeader(
                                AuditLog.RECORDED_AT.format(clock.instant()),
                                range.fromSeq(),
                                range.toSeq(),
                                keys.publicKeys())
                        .toLine());
            } else {
                writer.write(AuditCsv.HEADER);
            }
            writer.write('\n');
            readOnly.executeWithoutResult(tx -> streaming.query(
                    "select canonical, encode(hash, 'hex') as hash from audit_log where seq between ? and ? order by seq",
                    rs -> {
                        AuditRecord record = AuditLog.RECORD.mapRow(rs, 0);
                        try {
                            writer.write(format == Format.JSONL ? record.toLine() : AuditCsv.row(record));
                            writer.write('\n');
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        written[0]++;
                    },
                    range.fromSeq(),
                    range.toSeq()));
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the audit export", e);
        }
        return written[0];
    }
}
