package dev.guardian.service.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.guardian.service.GuardianApplication;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RestController;

/**
 * The boundaries between the service's feature packages (docs/architecture.md, "Packages"): no cycle
 * between them, each uses only the packages below it, none reaches into another's internals, none knows
 * the HTTP API, the central configuration or the development mode, and each wires its own beans in a
 * package-private configuration. A violation fails the build with the offending dependency named.
 */
class PackageBoundariesTest {
    private static final String SERVICE = "dev.guardian.service";

    /**
     * Every feature package and the packages it may use, from the bottom of the layering to its top. The
     * same table, with what each package owns, is in docs/architecture.md.
     */
    private static final Map<String, Set<String>> MAY_USE = layering();

    private static Map<String, Set<String>> layering() {
        Map<String, Set<String>> layers = new LinkedHashMap<>();
        layers.put("startup", Set.of());
        layers.put("locks", Set.of());
        layers.put("health", Set.of());
        layers.put("database", Set.of("health"));
        layers.put("audit", Set.of("locks", "database", "startup"));
        layers.put("chain", Set.of("health", "startup"));
        layers.put("config", Set.of("startup"));
        layers.put("x402", Set.of()); // the x402 wire format: pure, below every feature that pays with it
        layers.put("signatures", Set.of("chain")); // which typed data Guardian signs, and what each would do
        layers.put("safe", Set.of("chain", "startup")); // Safe 1.4.1: SafeTx hashes, owner signatures, the contracts
        layers.put("identity", Set.of("audit", "locks", "database"));
        layers.put("policies", Set.of("audit", "locks", "database"));
        layers.put("agents", Set.of("audit", "locks", "database", "chain", "identity", "policies", "startup"));
        layers.put("sanctions", Set.of("audit", "locks", "database", "chain"));
        layers.put(
                "requests",
                Set.of(
                        "audit",
                        "locks",
                        "database",
                        "chain",
                        "identity",
                        "policies",
                        "agents",
                        "sanctions",
                        "signatures",
                        "x402"));
        layers.put(
                "reconciliation",
                Set.of(
                        "audit",
                        "locks",
                        "database",
                        "chain",
                        "identity",
                        "policies",
                        "agents",
                        "sanctions",
                        "requests"));
        layers.put(
                "approvals",
                Set.of(
                        "audit",
                        "locks",
                        "database",
                        "chain",
                        "identity",
                        "policies",
                        "agents",
                        "sanctions",
                        "signatures",
                        "requests"));
        layers.put(
                "notifications",
                Set.of(
                        "audit",
                        "locks",
                        "database",
                        "chain",
                        "identity",
                        "policies",
                        "agents",
                        "sanctions",
                        "requests",
                        "reconciliation"));
        layers.put(
                "api",
                Set.of(
                        "audit",
                        "locks",
                        "database",
                        "chain",
                        "identity",
                        "policies",
                        "agents",
                        "sanctions",
                        "requests",
                        "reconciliation",
                        "approvals",
                        "notifications",
                        "signatures",
                        "x402"));
        layers.put("devchain", Set.of("chain", "safe"));
        layers.put(
                "devmode",
                Set.of(
                        "audit",
                        "locks",
                        "database",
                        "chain",
                        "identity",
                        "policies",
                        "agents",
                        "sanctions",
                        "safe",
                        "devchain"));
        return layers;
    }

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(SERVICE);

    /** Spring Modulith: the feature packages form no cycle, and none uses another's internal (sub-package) types. */
    @Test
    void modulesVerify() {
        ApplicationModules.of(GuardianApplication.class).verify();
    }

    @Test
    void everyPackageHasAPlaceInTheLayering() {
        Set<String> packages = CLASSES.stream()
                .map(JavaClass::getPackageName)
                .filter(name -> name.startsWith(SERVICE + "."))
                .map(name -> name.substring(SERVICE.length() + 1).split("\\.")[0])
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(MAY_USE.keySet())
                .as("a new package is placed in the layering here and in docs/architecture.md")
                .containsExactlyInAnyOrderElementsOf(packages);
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        MAY_USE.forEach((name, allowed) -> {
            List<String> forbidden = MAY_USE.keySet().stream()
                    .filter(other -> !other.equals(name) && !allowed.contains(other))
                    .map(other -> SERVICE + "." + other + "..")
                    .toList();
            if (forbidden.isEmpty()) {
                return;
            }
            noClasses()
                    .that()
                    .resideInAPackage(SERVICE + "." + name + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(forbidden.toArray(String[]::new))
                    .because(name + " may use only " + (allowed.isEmpty() ? "no other package" : allowed))
                    .check(CLASSES);
        });
    }

    @Test
    void noFeatureKnowsTheHttpApi() {
        noClasses()
                .that()
                .resideOutsideOfPackage(SERVICE + ".api..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(SERVICE + ".api..")
                .because("the API is the top layer: features are used by it, never the other way round")
                .check(CLASSES);
    }

    @Test
    void noFeatureKnowsTheCentralConfigurationOrTheDevelopmentMode() {
        noClasses()
                .that()
                .resideOutsideOfPackages(SERVICE + ".config..", SERVICE + ".devmode..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SERVICE + ".config..", SERVICE + ".devmode..")
                .because("each feature reads its own properties, and the development mode plugs in through"
                        + " interfaces the features own")
                .check(CLASSES);
        noClasses()
                .that()
                .resideOutsideOfPackages(SERVICE + ".devchain..", SERVICE + ".devmode..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(SERVICE + ".devchain..")
                .because("the local chain is for the development mode and the tests only")
                .check(CLASSES);
    }

    @Test
    void featuresWireTheirOwnBeansInPackagePrivateClasses() {
        classes()
                .that()
                .areAnnotatedWith(Configuration.class)
                .or()
                .areAnnotatedWith(Component.class)
                .or()
                .areAnnotatedWith(RestController.class)
                .should()
                .notHaveModifier(JavaModifier.PUBLIC)
                .because("wiring and controllers are a package's internals")
                .check(CLASSES);
    }
}
