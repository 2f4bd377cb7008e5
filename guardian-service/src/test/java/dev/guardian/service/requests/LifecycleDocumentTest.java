package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.service.audit.AuditPayloads;
import dev.guardian.service.requests.RequestLifecycle.Row;
import dev.guardian.service.requests.RequestLifecycle.Trigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/lifecycle.md shows the lifecycle table as the code has it. The part between the markers is
 * generated here; run with {@code -Dguardian.docs.write=true} to rewrite it after changing the table.
 */
class LifecycleDocumentTest {
    private static final String BEGIN = "<!-- generated from RequestLifecycle by LifecycleDocumentTest: begin -->";
    private static final String END = "<!-- generated from RequestLifecycle by LifecycleDocumentTest: end -->";

    @Test
    void theDocumentShowsTheTableTheCodeHas() throws IOException {
        Path document = docs().resolve("lifecycle.md");
        String text = Files.readString(document, StandardCharsets.UTF_8);
        String generated = BEGIN + "\n" + render() + END;
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin)
                .as("docs/lifecycle.md has the generated part's markers")
                .isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String current = text.substring(begin, end + END.length());
        if (Boolean.getBoolean("guardian.docs.write") && !current.equals(generated)) {
            Files.writeString(document, text.replace(current, generated), StandardCharsets.UTF_8);
            current = generated;
        }
        assertThat(current)
                .as("docs/lifecycle.md is out of date; run this test with -Dguardian.docs.write=true")
                .isEqualTo(generated);
    }

    static String render() {
        StringBuilder out = new StringBuilder();
        out.append("| event | from | to | reservation | audit record |\n");
        out.append("|---|---|---|---|---|\n");
        for (Map.Entry<Trigger, Row> line : RequestLifecycle.table().entrySet()) {
            Row row = line.getValue();
            String from = row.starts()
                    ? "(new)"
                    : row.from().stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
            String reservation = row.reservation().name().toLowerCase();
            out.append("| `")
                    .append(line.getKey())
                    .append("` | ")
                    .append(from)
                    .append(" | ")
                    .append(row.to())
                    .append(" | ")
                    .append(reservation)
                    .append(" | `")
                    .append(AuditPayloads.nameOf(RequestLifecycleTest.SAMPLES.get(line.getKey())))
                    .append("` |\n");
        }
        out.append("\n```mermaid\nstateDiagram-v2\n");
        for (Map.Entry<Trigger, Row> line : RequestLifecycle.table().entrySet()) {
            Row row = line.getValue();
            if (row.starts()) {
                out.append("    [*] --> ")
                        .append(row.to())
                        .append(" : ")
                        .append(line.getKey())
                        .append('\n');
            } else {
                row.from().stream()
                        .map(Enum::name)
                        .sorted()
                        .forEach(from -> out.append("    ")
                                .append(from)
                                .append(" --> ")
                                .append(row.to())
                                .append(" : ")
                                .append(line.getKey())
                                .append('\n'));
            }
        }
        out.append("```\n");
        return out.toString();
    }

    private static Path docs() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/lifecycle.md"))) {
                return dir.resolve("docs");
            }
        }
        throw new IllegalStateException("docs/lifecycle.md not found above " + here);
    }
}
