package dev.guardian.service.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The service never handles key bytes: it holds sealed keys and asks the signer module to sign.
 * Web3j's key types, Bouncy Castle's EC private keys and the signer's internals are off limits here.
 */
class ModuleBoundariesTest {
    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guardian.service");

    @Test
    void serviceNeverTouchesPrivateKeyTypes() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.web3j.crypto.ECKeyPair")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.web3j.crypto.Credentials")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.web3j.crypto.Keys")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.web3j.crypto.Wallet")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.web3j.crypto.RawTransaction")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.web3j.crypto.TransactionEncoder")
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("org.bouncycastle..")
                .because("only the signer module may see private key bytes")
                .check(SERVICE);
    }

    @Test
    void serviceDoesNotReachIntoSignerInternals() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .haveSimpleNameStartingWith("Secp256k1")
                .orShould()
                .dependOnClassesThat()
                .haveSimpleNameStartingWith("KeySealing")
                .because("the signer's public API is KeyVault, SealedKey and TransactionSigner")
                .check(SERVICE);
    }

    @Test
    void policyAndSignerStayFreeOfSpring() {
        JavaClasses inner = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.guardian.policy", "dev.guardian.signer");
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "jakarta..", "org.web3j.protocol..")
                .because("Spring, HTTP and the chain live in guardian-service only")
                .check(inner);
    }
}
