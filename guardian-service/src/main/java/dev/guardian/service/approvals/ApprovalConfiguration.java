package dev.guardian.service.approvals;

import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.requests.ExactSimulation;
import dev.guardian.service.requests.RequestJudge;
import dev.guardian.service.requests.RequestStore;
import dev.guardian.service.requests.RequestTransitions;
import dev.guardian.service.requests.SafeRequests;
import dev.guardian.service.requests.SignatureRequests;
import dev.guardian.service.requests.TransactionSubmitter;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the approval workflow. */
@Configuration(proxyBeanMethods = false)
class ApprovalConfiguration {

    @Bean
    ApprovalStore approvalStore(JdbcClient jdbc) {
        return new ApprovalStore(jdbc);
    }

    @Bean
    ApprovalService approvalService(
            AgentDirectory agents,
            ExactSimulation simulations,
            RequestJudge judge,
            RequestStore requests,
            ApprovalStore approvals,
            RequestTransitions transitions,
            TransactionSubmitter submitter,
            TransactionTemplate transactions,
            Clock clock,
            SignatureRequests signatures,
            SafeRequests safes) {
        return new ApprovalService(
                agents,
                simulations,
                judge,
                requests,
                approvals,
                transitions,
                submitter,
                transactions,
                clock,
                signatures,
                safes);
    }

    @Bean
    ExpirySweep expirySweep(ApprovalService approvals) {
        return new ExpirySweep(approvals);
    }
}
