package dev.guardian.service.testsupport;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.requests.AgentRequest;
import dev.guardian.service.requests.EffectView;
import dev.guardian.service.requests.RequestEvent;
import dev.guardian.service.requests.RequestTransitions;
import dev.guardian.service.requests.Reservations;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the decision transaction commits for an allowed payment, written through the real
 * {@link RequestTransitions}, as if the instance stopped right after it: for tests of what happens next.
 */
public final class RecordedDecisions {
    private RecordedDecisions() {}

    /** An allowed payment of {@code amount} of {@code token} from the agent's wallet to {@code to}, decided at {@code at}. */
    public static UUID allowedPayment(
            GuardianInstance guardian, Agent agent, Address token, Address to, TokenAmount amount, Instant at) {
        UUID id = UUID.randomUUID();
        guardian.bean(TransactionTemplate.class)
                .executeWithoutResult(tx -> guardian.bean(RequestTransitions.class)
                        .record(
                                new RequestTransitions.NewRequest(
                                        id,
                                        agent.id(),
                                        agent.walletId(),
                                        Optional.empty(),
                                        new AgentRequest.Payment(to, amount),
                                        token,
                                        BigInteger.ZERO,
                                        Calldata.transfer(to, amount),
                                        // What the simulation of that transfer shows, as the judge recorded it.
                                        List.of(EffectView.of(new Transfer(amount, agent.walletAddress(), to))),
                                        Optional.empty(),
                                        List.of(),
                                        at),
                                List.of(),
                                new RequestEvent.Decided(
                                        agent.id(),
                                        agent.walletAddress(),
                                        Optional.empty(),
                                        "test",
                                        Optional.empty(),
                                        Verdict.ALLOW,
                                        List.of(),
                                        Optional.empty(),
                                        Optional.empty(),
                                        Map.of(
                                                amount.asset().symbol(),
                                                amount.units().toString()),
                                        Optional.empty()),
                                Optional.empty(),
                                List.of(Reservations.Line.outflow(amount, to))));
        return id;
    }
}
