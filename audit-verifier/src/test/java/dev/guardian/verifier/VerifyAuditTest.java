package dev.guardian.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command an auditor runs: files in, OK or the first bad seq out, and an exit status scripts can use. */
class VerifyAuditTest {
    @TempDir
    Path dir;

    private final TestChain chain = TestChain.typical();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void reportsOkForAnIntactExportWithItsHeader() throws IOException {
        Path export = write("export.jsonl", withHeader(chain.lines(), 10));

        assertThat(run(export.toString(), key().toString())).isEqualTo(VerifyAudit.VERIFIED);
        assertThat(stdout()).startsWith("OK: 10 records, seq 1 to 10").doesNotContain("note:");
    }

    @Test
    void reportsTheFirstBadSeqAndExitsOneForATamperedExport() throws IOException {
        List<String> lines = withHeader(chain.lines(), 10);
        lines.set(3, lines.get(3).replace("\"amount\":\"30\"", "\"amount\":\"3000\""));
        Path export = write("export.jsonl", lines);

        assertThat(run(export.toString(), key().toString())).isEqualTo(VerifyAudit.NOT_VERIFIED);
        assertThat(stdout()).startsWith("FAILED at seq 3: record 3 does not match its hash");
    }

    @Test
    void catchesAnExportWhoseTailWasCutOffThroughItsHeader() throws IOException {
        List<String> lines = withHeader(chain.lines(), 10);
        Path export = write("export.jsonl", lines.subList(0, 9)); // header and records 1 to 8

        assertThat(run(export.toString(), key().toString())).isEqualTo(VerifyAudit.NOT_VERIFIED);
        assertThat(stdout()).contains("FAILED at seq 9").contains("header says it ends at record 10");
    }

    @Test
    void verifiesACsvExportToo() throws IOException {
        List<String> rows = new ArrayList<>(List.of(AuditCsv.HEADER));
        chain.records().forEach(r -> rows.add(AuditCsv.row(r)));
        Path csv = write("export.csv", rows);

        assertThat(run(csv.toString(), key().toString())).isEqualTo(VerifyAudit.VERIFIED);

        rows.set(2, rows.get(2).replace("ALLOW", "DENY"));
        write("export.csv", rows);
        assertThat(run(csv.toString(), key().toString())).isEqualTo(VerifyAudit.NOT_VERIFIED);
        assertThat(stdout()).contains("FAILED at seq 2");
    }

    @Test
    void notesWhenTheExportListsAKeyOtherThanTheTrustedOne() throws IOException {
        TestChain other = new TestChain();
        ExportHeader header = new ExportHeader("2026-11-26T10:00:00.000000Z", 1, 10, List.of(other.publicKey()));
        List<String> lines = new ArrayList<>(chain.lines());
        lines.add(0, header.toLine());
        Path export = write("export.jsonl", lines);

        assertThat(run(export.toString(), key().toString())).isEqualTo(VerifyAudit.VERIFIED);
        assertThat(stdout())
                .contains("note: the export lists the key " + other.publicKey().keyId());
    }

    @Test
    void exitsTwoWhenItCannotRun() throws IOException {
        assertThat(run("only-one-argument")).isEqualTo(VerifyAudit.CANNOT_RUN);
        assertThat(run(dir.resolve("missing.jsonl").toString(), key().toString()))
                .isEqualTo(VerifyAudit.CANNOT_RUN);
        assertThat(run(
                        write("export.jsonl", chain.lines()).toString(),
                        write("bad.pem", List.of("nope")).toString()))
                .isEqualTo(VerifyAudit.CANNOT_RUN);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("usage: verify-audit")
                .contains("no such file")
                .contains("cannot read the public key");
    }

    private List<String> withHeader(List<String> lines, long toSeq) {
        List<String> all = new ArrayList<>(lines);
        all.add(0, new ExportHeader("2026-11-26T10:00:00.000000Z", 1, toSeq, List.of(chain.publicKey())).toLine());
        return all;
    }

    private Path key() throws IOException {
        return write("audit-public-key.pem", List.of(chain.publicKey().toPem()));
    }

    private Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }

    private int run(String... args) {
        out.reset();
        return VerifyAudit.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
