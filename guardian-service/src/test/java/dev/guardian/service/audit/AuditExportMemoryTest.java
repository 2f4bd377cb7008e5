package dev.guardian.service.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import dev.guardian.verifier.AuditCsv;
import dev.guardian.verifier.AuditRecord;
import dev.guardian.verifier.Checkpoint;
import dev.guardian.verifier.ExportVerifier;
import dev.guardian.verifier.Jcs;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A 100,000-record export runs in bounded memory: the export runs in a JVM of its own with a 32 MB
 * heap, writes a file several times larger than that heap, and the result verifies. The figures are
 * printed (docs/audit.md quotes them).
 */
class AuditExportMemoryTest {
    private static final int RECORDS = 100_000;
    private static final String HEAP = "-Xmx32m";
    private static final Pattern FIGURES =
            Pattern.compile("records=(\\d+) bytes=(\\d+) peakHeapBytes=(\\d+) maxHeapBytes=(\\d+) millis=(\\d+)");

    private static TestDatabase database;
    private static String kek;
    private static AuditKeys keys;

    @BeforeAll
    static void fillTheLogWithOneHundredThousandRecords() throws Exception {
        database = TestDatabase.start();
        kek = GuardianInstance.newKek();
        keys = AuditKeys.loadOrCreate(
                database.jdbc(),
                database.transactions(),
                new KeyVault(KeyEncryptionKey.fromBase64(kek)),
                Clock.systemUTC());
        try (Connection connection = database.dataSource().getConnection()) {
            CopyIn copy = connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "copy audit_log (seq, recorded_at, request_id, event, actor, payload, prev_hash, hash, canonical) from stdin with (format csv)");
            AuditRecord previous = null;
            Instant at = Instant.parse("2026-11-01T00:00:00Z");
            for (int seq = 1; seq <= RECORDS; seq++) {
                at = at.plusMillis(7);
                AuditRecord record = seq % 100 == 0
                        ? AuditRecord.create(
                                seq,
                                AuditLog.RECORDED_AT.format(at),
                                null,
                                Checkpoint.EVENT,
                                "guardian",
                                keys.sign(previous.seq(), previous.hash()).toPayload(),
                                previous.hash())
                        : AuditRecord.create(
                                seq,
                                AuditLog.RECORDED_AT.format(at),
                                UUID.randomUUID().toString(),
                                "decision",
                                "guardian",
                                decision(seq),
                                previous == null ? AuditRecord.GENESIS_HASH : previous.hash());
                byte[] row = (record.seq() + "," + record.recordedAt() + ","
                                + (record.requestId() == null ? "" : record.requestId())
                                + "," + record.event() + "," + record.actor() + ","
                                + quoted(Jcs.canonicalize(record.payload()))
                                + ",\\x" + record.prevHash() + ",\\x" + record.hash() + ","
                                + quoted(record.canonicalBody()) + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(row, 0, row.length);
                previous = record;
            }
            copy.endCopy();
        }
    }

    @AfterAll
    static void stop() throws IOException {
        database.close();
    }

    @Test
    void exportsOneHundredThousandRecordsAsJsonLinesWithA32MegabyteHeapAndTheExportVerifies(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("export.jsonl");

        Map<String, Long> figures = exportInASmallJvm("jsonl", file);

        assertThat(figures.get("records")).isEqualTo(RECORDS);
        assertThat(figures.get("bytes"))
                .as("the export is larger than the heap, so it cannot have been held in memory")
                .isGreaterThan(2 * figures.get("maxHeapBytes"));
        System.out.printf(
                "audit export benchmark: %,d records, %.1f MB of JSON Lines in %,d ms with %s; peak heap used while"
                        + " exporting %.1f MB%n",
                figures.get("records"),
                figures.get("bytes") / 1e6,
                figures.get("millis"),
                HEAP,
                figures.get("peakHeapBytes") / 1e6);
        try (Reader export = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            ExportVerifier.Result result = ExportVerifier.verify(export, keys.publicKeys(), false);
            assertThat(result.report().ok()).as(result.report().summary()).isTrue();
            assertThat(result.report().records()).isEqualTo(RECORDS);
            assertThat(result.report().checkpoints()).isEqualTo(RECORDS / 100);
        }
    }

    @Test
    void exportsTheSameAsCsvWithinTheSameHeap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("export.csv");

        Map<String, Long> figures = exportInASmallJvm("csv", file);

        assertThat(figures.get("records")).isEqualTo(RECORDS);
        try (var lines = Files.lines(file)) {
            assertThat(lines.findFirst()).contains(AuditCsv.HEADER);
        }
    }

    private static Map<String, Long> exportInASmallJvm(String format, Path file)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP,
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                ExportUnderSmallHeap.class.getName(),
                database.plainJdbcUrl(),
                database.applicationUser(),
                database.applicationPassword(),
                kek,
                format,
                file.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        Matcher matcher = FIGURES.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        Map<String, Long> figures = new LinkedHashMap<>();
        for (String name : List.of("records", "bytes", "peakHeapBytes", "maxHeapBytes", "millis")) {
            figures.put(
                    name,
                    Long.parseLong(matcher.group(List.of("records", "bytes", "peakHeapBytes", "maxHeapBytes", "millis")
                                    .indexOf(name)
                            + 1)));
        }
        return figures;
    }

    private static Map<String, Object> decision(int n) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("agent", "agent-" + (n % 17));
        payload.put("wallet", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        payload.put("policyVersion", "treasury-2026-11");
        payload.put(
                "screeningVersion",
                "ofac_sdn_evm_addresses_2025-11-19.txt@2025-11-19 (1245 entries, sha256 4d8bb764c5f4)");
        payload.put("verdict", n % 10 == 0 ? "ESCALATE" : "ALLOW");
        payload.put(
                "reasons",
                List.of(Map.of(
                        "ruleId",
                        "limit.per-transaction",
                        "verdict",
                        "ALLOW",
                        "message",
                        "12.50 USDC is within the per-transaction cap of 100 USDC",
                        "figures",
                        Map.of(
                                "asset",
                                "USDC",
                                "limit",
                                "100",
                                "attempted",
                                "12.5",
                                "limitUnits",
                                "100000000",
                                "attemptedUnits",
                                "12500000"))));
        payload.put("reserved", Map.of("USDC", Integer.toString(12_500_000 + n)));
        return payload;
    }

    private static String quoted(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
