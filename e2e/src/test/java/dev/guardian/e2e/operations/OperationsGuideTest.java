package dev.guardian.e2e.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/operations.md, followed literally: every {@code bash} block marked {@code <!-- tested -->} runs, in
 * the order of the document, as one script, as root, on a PostgreSQL server that the test starts itself
 * (Debian's 15, and 17), so the guide cannot drift from what works. The test only sets the variables the
 * guide asks an operator to set (where things go, the node's URL, chain id and USDC address), then checks
 * what the guide promises: Guardian ready, the two database roles in force, the first administrator's token
 * accepted, a backup made; and that a refused start is one line and a non-zero exit.
 */
class OperationsGuideTest {
    private static final Pattern TESTED_BLOCK =
            Pattern.compile("<!-- tested(?:: ([a-z-]+))? -->\\s*\\n```bash\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static Address usdc;

    @BeforeAll
    static void deployUsdc() {
        usdc = CHAIN.devChain().deployTestUsdc();
    }

    @Test
    void onPostgres15FromDebiansPackages() throws IOException {
        Path bin = Path.of(ExternalPostgres.DEBIAN_15);
        ExternalPostgres.requireAvailable(bin);
        follow(bin, true);
    }

    @Test
    void onPostgres17() throws IOException {
        ExternalPostgres.requireAvailable(Path.of(ExternalPostgres.DEBIAN_15));
        // Debian 12 packages PostgreSQL 15 only: 17's server is the build the embedded database ships, and its
        // client tools are Debian's 15, whose pg_dump does not dump a newer server (the backup step is left out).
        follow(ExternalPostgres.postgres17(), false);
    }

    private static void follow(Path bin, boolean sameMajorClientTools) throws IOException {
        List<Block> blocks = testedBlocks();
        assertThat(blocks).extracting(Block::name).contains("backup");
        try (ExternalPostgres postgres = ExternalPostgres.start(bin)) {
            Path scratch = Files.createTempDirectory("guardian-guide-");
            Path home = scratch.resolve("etc");
            Path data = scratch.resolve("var");
            Map<String, String> environment = new HashMap<>(postgres.clientEnvironment());
            environment.put("GUARDIAN_HOME", home.toString());
            environment.put("GUARDIAN_DATA", data.toString());
            environment.put("GUARDIAN_JAR", GuardianProcess.jar().toString());
            environment.put("GUARDIAN_PORT", Integer.toString(ExternalPostgres.freePort()));
            environment.put("RPC_URL", CHAIN.anvil().rpcUrl().toString());
            environment.put("CHAIN_ID", "31337");
            environment.put("USDC_ADDRESS", usdc.toString());
            environment.put("PATH", Path.of(GuardianProcess.java()).getParent() + ":" + System.getenv("PATH"));
            StringBuilder script = new StringBuilder("set -euo pipefail\n");
            for (Block block : blocks) {
                if (sameMajorClientTools || !block.name().equals("backup")) {
                    script.append("# --- ")
                            .append(block.name())
                            .append('\n')
                            .append(block.body())
                            .append('\n');
                }
            }
            // The test's own line after the guide's: where the token the guide read went.
            script.append("printf %s \"$ADMIN_TOKEN\" > \"$GUARDIAN_DATA/token-read-by-the-guide\"\n");
            try {
                Processes.Result run = Processes.run(
                        List.of("bash", "-c", script.toString()), environment, Path.of("/"), SCRIPT_TIMEOUT);
                String log = readOrEmpty(data.resolve("guardian.log"));
                assertThat(run.exitCode())
                        .as(run.output() + "\n--- guardian.log:\n" + log)
                        .isZero();

                assertThat(postgres.version()).contains(sameMajorClientTools ? " 15." : " 17.");
                assertThat(log)
                        .as("the two roles are in force")
                        .contains("audit log: the database role guardian may only read and insert it");
                String token = Files.readString(data.resolve("token-read-by-the-guide"));
                AgentClient admin =
                        new AgentClient(URI.create("http://127.0.0.1:" + environment.get("GUARDIAN_PORT")), token);
                assertThat(admin.get("/v1/people").status()).isEqualTo(200);
                if (sameMajorClientTools) {
                    try (Stream<Path> dumps = Files.list(data)) {
                        assertThat(dumps.filter(f -> f.getFileName().toString().endsWith(".dump")))
                                .hasSize(1);
                    }
                }
                assertOneLineRefusal(environment, home);
            } finally {
                stop(data.resolve("guardian.pid"));
                Processes.run(List.of("rm", "-rf", scratch.toString()), Map.of(), null, Duration.ofSeconds(30));
            }
        }
    }

    /** The same start with a key-encryption key file that does not exist: one line, the setting, exit non-zero. */
    private static void assertOneLineRefusal(Map<String, String> environment, Path home) {
        Processes.Result refused = Processes.run(
                List.of(
                        GuardianProcess.java(),
                        "-jar",
                        GuardianProcess.jar().toString(),
                        "--spring.config.additional-location=file:" + home.resolve("guardian.yml"),
                        "--spring.config.import=configtree:" + home.resolve("secrets") + "/",
                        "--guardian.keys.kek-file=" + home.resolve("no-such-kek"),
                        "--server.port=0"),
                environment,
                null,
                Duration.ofMinutes(2));
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        List<String> errors =
                refused.output().lines().filter(l -> l.contains(" ERROR ")).toList();
        assertThat(errors).as(refused.output()).hasSize(1);
        assertThat(errors.get(0))
                .contains("Guardian did not start: the key-encryption key file")
                .contains("does not exist")
                .contains("Setting: guardian.keys.kek-file");
        assertThat(refused.output().lines().filter(l -> l.startsWith("\tat ")))
                .as("no stack trace")
                .isEmpty();
    }

    private record Block(String name, String body) {}

    private static List<Block> testedBlocks() throws IOException {
        String guide = Files.readString(Path.of(System.getProperty("guardian.repository.root"), "docs/operations.md"));
        Matcher matcher = TESTED_BLOCK.matcher(guide);
        List<Block> blocks = new ArrayList<>();
        while (matcher.find()) {
            blocks.add(new Block(
                    matcher.group(1) == null ? "step " + (blocks.size() + 1) : matcher.group(1), matcher.group(2)));
        }
        return blocks;
    }

    private static void stop(Path pidFile) {
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(process -> {
                process.destroy();
                process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
