package dev.guardian.service.safe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.service.startup.StartupRefusal;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

/** {@code guardian.safe}: all four addresses or none, the Base profiles' canonical deployment, refusals by name. */
class SafeConfigurationTest {
    private static final SafeContracts CANONICAL = SafeContracts.CANONICAL_1_4_1;

    @ParameterizedTest
    @ValueSource(strings = {"application-base.yml", "application-base-sepolia.yml"})
    void theBaseProfilesConfigureSafe141sCanonicalDeployment(String file) {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource(file));
        Properties properties = yaml.getObject();

        SafeDeployment deployment = SafeConfiguration.fromProperties(new SafeProperties(
                properties.getProperty("guardian.safe.singleton"),
                properties.getProperty("guardian.safe.proxy-factory"),
                properties.getProperty("guardian.safe.fallback-handler"),
                properties.getProperty("guardian.safe.multi-send-call-only")));

        assertThat(deployment.require()).isEqualTo(CANONICAL);
    }

    @Test
    void theCanonicalAddressesAreSafeDeployments() {
        // safe-global/safe-deployments src/assets/v1.4.1, "canonical" for networks 8453 and 84532.
        assertThat(CANONICAL.singleton()).hasToString("0x29fcB43b46531BcA003ddC8FCB67FFE91900C762");
        assertThat(CANONICAL.proxyFactory()).hasToString("0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67");
        assertThat(CANONICAL.fallbackHandler()).hasToString("0xfd0732Dc9E303f09fCEf3a7388Ad10A83459Ec99");
        assertThat(CANONICAL.multiSendCallOnly()).hasToString("0x9641d764fc13c8B624c04430C7356C1C7C8102e2");
    }

    @Test
    void noneConfiguredMeansNoSafeWalletsAndSaysWhatToSet() {
        SafeDeployment deployment = SafeConfiguration.fromProperties(new SafeProperties(null, " ", null, ""));

        assertThat(deployment.contracts()).isEmpty();
        assertThatThrownBy(deployment::require)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("guardian.safe.singleton, guardian.safe.proxy-factory,"
                        + " guardian.safe.fallback-handler, guardian.safe.multi-send-call-only");
    }

    @Test
    void aPartialSettingRefusesTheStartNamingWhatIsMissing() {
        SafeProperties partial = new SafeProperties(
                CANONICAL.singleton().toString(), CANONICAL.proxyFactory().toString(), null, null);

        assertThatThrownBy(() -> SafeConfiguration.fromProperties(partial))
                .isInstanceOfSatisfying(
                        StartupRefusal.class,
                        e -> assertThat(e.setting())
                                .isEqualTo("guardian.safe.fallback-handler, guardian.safe.multi-send-call-only"))
                .hasMessageContaining("only in part");
    }

    @Test
    void aMalformedAddressRefusesTheStartNamingItsProperty() {
        SafeProperties badChecksum = new SafeProperties(
                CANONICAL.singleton().toString(),
                "0x4e1dcf7ad4e460cfd30791ccc4f9c8a4f820EC67",
                CANONICAL.fallbackHandler().toString(),
                CANONICAL.multiSendCallOnly().toString());

        assertThatThrownBy(() -> SafeConfiguration.fromProperties(badChecksum))
                .isInstanceOfSatisfying(
                        StartupRefusal.class, e -> assertThat(e.setting()).isEqualTo("guardian.safe.proxy-factory"))
                .hasMessageStartingWith("guardian.safe.proxy-factory: ");
    }

    @Test
    void theGuardIsBothSettingsOrNeither_oneAloneRefusesTheStartNamingTheOther() {
        String guard = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
        String setup = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
        assertThat(SafeConfiguration.guardFromProperties(new SafeProperties(null, null, null, null, null, null))
                        .contracts())
                .isEmpty();
        assertThat(SafeConfiguration.guardFromProperties(new SafeProperties(null, null, null, null, guard, setup))
                        .contracts()
                        .orElseThrow()
                        .guardSetup())
                .hasToString(setup);
        assertThatThrownBy(() ->
                        SafeConfiguration.guardFromProperties(new SafeProperties(null, null, null, null, guard, " ")))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("guardian.safe.guard-setup");
        assertThatThrownBy(() -> SafeConfiguration.guardFromProperties(
                        new SafeProperties(null, null, null, null, "0xnot-an-address", setup)))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("guardian.safe.guard");
    }
}
