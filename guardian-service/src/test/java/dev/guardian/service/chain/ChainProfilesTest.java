package dev.guardian.service.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

/** The shipped chain profiles name the right chain and Circle's USDC, and leave the RPC URL to the operator. */
class ChainProfilesTest {

    @ParameterizedTest
    @CsvSource({
        "application-base.yml, base, 8453, 0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
        "application-base-sepolia.yml, base-sepolia, 84532, 0x036CbD53842c5426634e7929541eC2318f3dCF7e"
    })
    void profileNamesChainAndUsdc(String file, String name, long chainId, String usdc) {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource(file));
        Properties properties = yaml.getObject();

        assertThat(properties.getProperty("guardian.chain.name")).isEqualTo(name);
        assertThat(Long.parseLong(properties.getProperty("guardian.chain.chain-id")))
                .isEqualTo(chainId);
        // Address.parse checks the EIP-55 checksum, so a typo in the profile fails here.
        assertThat(Address.parse(properties.getProperty("guardian.chain.usdc.address")))
                .isEqualTo(Address.parse(usdc));
        assertThat(properties.getProperty("guardian.chain.usdc.decimals")).isEqualTo("6");
        assertThat(properties.getProperty("guardian.chain.rpc-url")).isEqualTo("${GUARDIAN_CHAIN_RPC_URL}");
    }
}
