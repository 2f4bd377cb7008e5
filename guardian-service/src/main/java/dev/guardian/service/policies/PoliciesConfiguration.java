package dev.guardian.service.policies;

import dev.guardian.policy.AssetRegistry;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.requests.RequestJudge;
import dev.guardian.service.requests.RequestStore;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the dry run; {@link PolicyDocuments} and {@link PolicyVersions} are wired with the request path. */
@Configuration(proxyBeanMethods = false)
class PoliciesConfiguration {

    @Bean
    PolicyDryRun policyDryRun(
            PolicyVersions versions,
            AgentDirectory agents,
            RequestJudge judge,
            RequestStore requests,
            ChainAdapter chain,
            AssetRegistry assets,
            Clock clock) {
        return new PolicyDryRun(versions, agents, judge, requests, chain, assets, clock);
    }
}
