package dev.guardian.signer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The signer's boundary: JDK, Bouncy Castle, web3j's encoding packages and the policy types; no
 * framework, no network client, and none of web3j's key-handling classes (they keep private keys in
 * immutable BigIntegers that cannot be wiped).
 */
class SignerArchitectureTest {
    private static final JavaClasses SIGNER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guardian.signer");

    @Test
    void dependsOnlyOnTheJdkBouncyCastleWeb3jEncodingAndPolicy() {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..",
                        "org.bouncycastle..",
                        "org.web3j.crypto",
                        "org.web3j.rlp..",
                        "org.web3j.utils..",
                        "dev.guardian.policy..",
                        "dev.guardian.signer..")
                .check(SIGNER);
    }

    @Test
    void neverHandsKeysToWeb3j() {
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
                .haveFullyQualifiedName("org.web3j.crypto.Sign")
                .because("private keys stay in zeroable byte arrays; only Sign.SignatureData, a plain carrier "
                        + "of r, s and v, is used to feed web3j's encoder")
                .check(SIGNER);
    }

    @Test
    void hasNoFrameworkOrNetworkDependency() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..",
                        "org.web3j.protocol..",
                        "org.web3j.tx..",
                        "java.net.http..",
                        "org.slf4j..")
                .check(SIGNER);
    }
}
