package dev.guardian.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exports written by earlier versions of Guardian keep verifying. {@code export-before-typed-events.*}
 * was exported (JSON Lines and CSV, with its public key) by Guardian at commit 1d7f990, before audit
 * events became typed records: a payment confirmed, one escalated, approved and confirmed, one rejected,
 * one denied for a sanctioned recipient, with a checkpoint every five records. The record format did
 * not change, so the same verifier accepts it, and a single edited byte is still caught.
 */
class EarlierExportsTest {
    private static final String KEY = "/exports/export-before-typed-events.pem";

    @ParameterizedTest
    @ValueSource(strings = {"/exports/export-before-typed-events.jsonl", "/exports/export-before-typed-events.csv"})
    void anExportFromBeforeTypedEventsVerifies(String export) throws IOException {
        ExportVerifier.Result result = verify(text(export));

        assertThat(result.report().ok()).as(result.report().summary()).isTrue();
        assertThat(result.report().records()).isEqualTo(46L);
        assertThat(result.report().checkpoints()).isEqualTo(8);
    }

    @Test
    void anEditedRecordInThatExportIsStillCaught() throws IOException {
        String edited = text("/exports/export-before-typed-events.jsonl")
                .replaceFirst("\"comment\":\"known supplier\"", "\"comment\":\"known suppliex\"");

        ExportVerifier.Result result = verify(edited);

        assertThat(result.report().ok()).isFalse();
        assertThat(result.report().summary()).contains("does not match its hash");
    }

    private static ExportVerifier.Result verify(String export) throws IOException {
        AuditPublicKey key = AuditPublicKey.fromPem(text(KEY));
        try (Reader reader = new StringReader(export)) {
            return ExportVerifier.verify(reader, List.of(key), false);
        }
    }

    private static String text(String resource) throws IOException {
        try (InputStream in = EarlierExportsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
