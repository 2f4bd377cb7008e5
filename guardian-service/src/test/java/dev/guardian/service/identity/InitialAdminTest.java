package dev.guardian.service.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The first start on an empty database: Guardian creates one administrator, leaves its token in an
 * owner-only file, tells the operator how to read it without logging it, and deletes the file when the
 * token is first used. Later starts, and instances starting side by side, create no second one.
 */
@ExtendWith(OutputCaptureExtension.class)
class InitialAdminTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static Address usdc;

    @BeforeAll
    static void deployUsdc() {
        usdc = CHAIN.devChain().deployTestUsdc();
    }

    @Test
    void firstStartLeavesTheAdministratorsTokenInAnOwnerOnlyFileThatGoesAtItsFirstUse(
            CapturedOutput output, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("secrets").resolve("admin-token");
        String kek = GuardianInstance.newKek();
        try (TestDatabase database = TestDatabase.start()) {
            String token;
            try (GuardianInstance guardian =
                    builder(database, kek).initialAdminTokenFile(file).start()) {
                assertThat(file).exists();
                assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
                token = Files.readString(file).strip();
                assertThat(token).startsWith("grd_");
                assertThat(output.getAll()).contains("cat " + file).doesNotContain(token);

                Api api = new Api(guardian.baseUrl());
                assertThat(api.get(token, "/v1/people/admin")
                                .body()
                                .get("roles")
                                .get(0)
                                .asString())
                        .isEqualTo("admin");
                assertThat(file).as("deleted at the token's first use").doesNotExist();
                assertThat(dir.resolve("secrets")).isEmptyDirectory();
            }

            Path second = dir.resolve("second-start-token");
            try (GuardianInstance restarted =
                    builder(database, kek).initialAdminTokenFile(second).start()) {
                assertThat(second).as("an administrator exists: no second one").doesNotExist();
                assertThat(new Api(restarted.baseUrl()).get(token, "/v1/people").status())
                        .isEqualTo(200);
                assertThat(admins(restarted)).containsExactly(People.INITIAL_ADMIN);
            }
            assertThat(output.getAll()).doesNotContain(token);
        }
    }

    @Test
    void twoInstancesStartingTogetherOnOneDatabaseCreateOneAdministrator(@TempDir Path dir) throws Exception {
        String kek = GuardianInstance.newKek();
        try (TestDatabase database = TestDatabase.start()) {
            Path first = dir.resolve("first");
            Path second = dir.resolve("second");
            CompletableFuture<GuardianInstance> one = CompletableFuture.supplyAsync(
                    () -> builder(database, kek).initialAdminTokenFile(first).start());
            CompletableFuture<GuardianInstance> two = CompletableFuture.supplyAsync(
                    () -> builder(database, kek).initialAdminTokenFile(second).start());
            try (GuardianInstance a = one.join();
                    GuardianInstance b = two.join()) {
                assertThat(List.of(Files.exists(first), Files.exists(second))).containsExactlyInAnyOrder(true, false);
                assertThat(admins(a)).containsExactly(People.INITIAL_ADMIN);
                assertThat(a.bean(JdbcClient.class)
                                .sql("select count(*) from credentials where subject_kind = 'PERSON'")
                                .query(Long.class)
                                .single())
                        .isEqualTo(1);
                String token =
                        Files.readString(Files.exists(first) ? first : second).strip();
                assertThat(new Api(b.baseUrl()).get(token, "/v1/people").status())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void noInitialAdministratorWhenConfigurationNamesAnActiveOne(@TempDir Path dir) {
        Path file = dir.resolve("admin-token");
        PersonSpec root = PersonSpec.person("root", Role.ADMIN);
        try (GuardianInstance guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .person(root)
                .initialAdminTokenFile(file)
                .start()) {
            assertThat(file).doesNotExist();
            assertThat(admins(guardian)).containsExactly("root");
        }
    }

    private static GuardianInstance.Builder builder(TestDatabase database, String kek) {
        return GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .database(database)
                .kek(kek);
    }

    private static List<String> admins(GuardianInstance guardian) {
        return guardian.bean(JdbcClient.class)
                .sql("select id from people where 'ADMIN' = any (roles) order by id")
                .query(String.class)
                .list();
    }
}
