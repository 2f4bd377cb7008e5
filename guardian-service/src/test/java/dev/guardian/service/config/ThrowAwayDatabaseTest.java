package dev.guardian.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.service.GuardianApplication;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Outside the development mode Guardian does not run on a database it made up: without
 * {@code spring.datasource.url} it refuses to start, saying what to configure, before it has created
 * anything (no chain connection, no administrator token, no wallet key, no embedded PostgreSQL). The
 * loudly named opt-in {@code guardian.database.embedded-throwaway=true} starts the embedded database
 * anyway, and says at WARN that everything in it is discarded at exit.
 */
@ExtendWith(OutputCaptureExtension.class)
class ThrowAwayDatabaseTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static Address usdc;

    @BeforeAll
    static void deployUsdc() {
        usdc = CHAIN.devChain().deployTestUsdc();
    }

    @Test
    void withoutUrlAndWithoutOptInStartUpIsRefusedBeforeAnythingIsCreated(CapturedOutput output, @TempDir Path dir) {
        Path adminToken = dir.resolve("admin-token");
        List<String> created = Collections.synchronizedList(new ArrayList<>());

        assertThatThrownBy(() -> start(created, operatorArguments(adminToken)))
                .isInstanceOf(NoDatabaseConfiguration.NoDatabaseException.class)
                .hasMessageContaining("spring.datasource.url is not set")
                .hasMessageContaining("spring.datasource.username")
                .hasMessageContaining("spring.datasource.password")
                .hasMessageContaining("guardian.database.embedded-throwaway=true")
                .hasMessageContaining("discarded at exit");

        assertThat(created).as("beans created before the refusal").isEmpty();
        assertThat(adminToken).as("no administrator was created").doesNotExist();
        assertThat(output.getAll())
                .contains("Guardian did not start: Guardian has no database")
                .doesNotContain("EMBEDDED PostgreSQL");
    }

    @Test
    void aBlankUrlIsNoUrl(@TempDir Path dir) {
        List<String> arguments = new ArrayList<>(operatorArguments(dir.resolve("admin-token")));
        arguments.add("--spring.datasource.url= ");
        List<String> created = Collections.synchronizedList(new ArrayList<>());

        assertThatThrownBy(() -> start(created, arguments)).hasMessageContaining("spring.datasource.url is not set");
        assertThat(created).isEmpty();
    }

    @Test
    void theOptInStartsTheEmbeddedDatabaseAndSaysItIsThrownAway(CapturedOutput output, @TempDir Path dir)
            throws Exception {
        List<String> arguments = new ArrayList<>(operatorArguments(dir.resolve("admin-token")));
        arguments.add("--guardian.database.embedded-throwaway=true");
        try (ConfigurableApplicationContext context = start(new ArrayList<>(), arguments)) {
            URI health = URI.create("http://127.0.0.1:"
                    + context.getEnvironment().getProperty("local.server.port") + "/actuator/health");
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(dir.resolve("admin-token")).exists();
        }
        assertThat(output.getAll())
                .contains("EMBEDDED PostgreSQL")
                .contains("(guardian.database.embedded-throwaway=true)")
                .contains("discarded at exit");
    }

    /** What an operator configures, except the database: a reachable chain, a KEK, a token file. */
    private static List<String> operatorArguments(Path adminToken) {
        return List.of(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--guardian.chain.rpc-url=" + CHAIN.anvil().rpcUrl(),
                "--guardian.chain.usdc.address=" + usdc,
                "--guardian.keys.kek=" + GuardianInstance.newKek(),
                "--guardian.identity.initial-admin-token-file=" + adminToken);
    }

    /**
     * Starts Guardian, recording every bean it creates but Spring's own infrastructure (the post-processors
     * and factories that exist before any bean of the application).
     */
    private static ConfigurableApplicationContext start(List<String> created, List<String> arguments) {
        return new SpringApplicationBuilder(GuardianApplication.class)
                .initializers(context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                    @Override
                    public Object postProcessAfterInitialization(Object bean, String name) {
                        if (!(bean instanceof BeanFactoryPostProcessor)
                                && !bean.getClass().getName().startsWith("org.springframework.")) {
                            created.add(name + " (" + bean.getClass().getName() + ")");
                        }
                        return bean;
                    }
                }))
                .run(arguments.toArray(String[]::new));
    }
}
