package dev.guardian.policy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The domain stays plain Java: the enforcer keeps libraries off its class path, this keeps them out of its code. */
class ArchitectureTest {
    private static final JavaClasses POLICY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guardian.policy");

    @Test
    void policyDependsOnTheJdkAndItselfOnly() {
        classes()
                .that()
                .resideInAPackage("dev.guardian.policy..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.guardian.policy..")
                .check(POLICY);
    }

    @Test
    void rulesKeepNoStateAndAreNamedOnlyByTheEngine() {
        classes()
                .that()
                .resideInAPackage("dev.guardian.policy.rules")
                .and()
                .haveSimpleNameEndingWith("Rule")
                .and()
                .areNotInterfaces()
                .should()
                .notBePublic()
                .andShould()
                .haveOnlyFinalFields()
                .check(POLICY);
    }
}
