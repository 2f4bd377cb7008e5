package dev.guardian.service.policies;

import dev.guardian.policy.AssetRegistry;
import dev.guardian.service.audit.AuditLog;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires policy documents (reading and checking them against the chain's assets) and their versions. */
@Configuration(proxyBeanMethods = false)
class PoliciesConfiguration {

    @Bean
    PolicyDocuments policyDocuments(AssetRegistry assets) {
        return new PolicyDocuments(assets);
    }

    @Bean
    PolicyVersions policyVersions(
            JdbcClient jdbc, TransactionTemplate transactions, AuditLog audit, PolicyDocuments documents, Clock clock) {
        return new PolicyVersions(jdbc, transactions, audit, documents, clock);
    }
}
