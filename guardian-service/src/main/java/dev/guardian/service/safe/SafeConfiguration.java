package dev.guardian.service.safe;

import dev.guardian.policy.Address;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainException;
import dev.guardian.service.startup.StartupRefusal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Wires the {@link SafeDeployment} from {@code guardian.safe} (or the development mode's
 * {@link SafeContractsOverride}). A partial or malformed setting refuses the start, naming the property; none
 * at all means no Safe wallets. Once Guardian is up, the code at the four addresses is compared with Safe
 * 1.4.1's, and a mismatch is logged as an error (Guardian still starts: custodial wallets do not need Safes,
 * and the chain may be away for a while).
 */
@Configuration(proxyBeanMethods = false)
class SafeConfiguration {
    private static final Logger log = LoggerFactory.getLogger(SafeConfiguration.class);

    @Bean
    SafeDeployment safeDeployment(SafeProperties properties, ObjectProvider<SafeContractsOverride> override) {
        SafeContractsOverride supplied = override.getIfAvailable();
        if (supplied != null) {
            return SafeDeployment.of(supplied.safeContracts());
        }
        return fromProperties(properties);
    }

    static SafeDeployment fromProperties(SafeProperties properties) {
        Map<SafeContracts.Role, String> values = new EnumMap<>(SafeContracts.Role.class);
        values.put(SafeContracts.Role.SINGLETON, properties.singleton());
        values.put(SafeContracts.Role.PROXY_FACTORY, properties.proxyFactory());
        values.put(SafeContracts.Role.FALLBACK_HANDLER, properties.fallbackHandler());
        values.put(SafeContracts.Role.MULTI_SEND_CALL_ONLY, properties.multiSendCallOnly());
        List<String> missing = new ArrayList<>();
        values.forEach((role, value) -> {
            if (value == null || value.isBlank()) {
                missing.add(role.property());
            }
        });
        if (missing.size() == values.size()) {
            return SafeDeployment.none();
        }
        if (!missing.isEmpty()) {
            throw new StartupRefusal(
                    String.join(", ", missing),
                    "the Safe contracts are configured only in part: set " + String.join(", ", missing)
                            + " too, or none of guardian.safe.* (then Guardian offers no Safe wallets)");
        }
        Map<SafeContracts.Role, Address> addresses = new EnumMap<>(SafeContracts.Role.class);
        values.forEach((role, value) -> {
            try {
                addresses.put(role, Address.parse(value.strip()));
            } catch (IllegalArgumentException e) {
                throw new StartupRefusal(role.property(), role.property() + ": " + e.getMessage());
            }
        });
        return SafeDeployment.of(new SafeContracts(
                addresses.get(SafeContracts.Role.SINGLETON),
                addresses.get(SafeContracts.Role.PROXY_FACTORY),
                addresses.get(SafeContracts.Role.FALLBACK_HANDLER),
                addresses.get(SafeContracts.Role.MULTI_SEND_CALL_ONLY)));
    }

    @Bean
    SafeCodeCheck safeCodeCheck(SafeDeployment deployment, ChainAdapter chain) {
        return new SafeCodeCheck(deployment, chain);
    }

    /** Compares the configured contracts' code with Safe 1.4.1's once the application is ready. */
    static final class SafeCodeCheck {
        private final SafeDeployment deployment;
        private final ChainAdapter chain;

        SafeCodeCheck(SafeDeployment deployment, ChainAdapter chain) {
            this.deployment = deployment;
            this.chain = chain;
        }

        @EventListener(ApplicationReadyEvent.class)
        void compareCode() {
            deployment.contracts().ifPresent(contracts -> {
                try {
                    contracts
                            .codeMismatches(chain)
                            .forEach(mismatch -> log.error("Safe wallets must not be created: {}", mismatch));
                } catch (ChainException e) {
                    log.warn("the Safe contracts' code could not be read from the chain at start ({})", e.getMessage());
                }
            });
        }
    }
}
