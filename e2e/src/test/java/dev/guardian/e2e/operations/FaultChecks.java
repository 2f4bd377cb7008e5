package dev.guardian.e2e.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.e2e.operations.PaymentBurst.Payment;
import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What must hold after any fault, read from Guardian's API and, for money and nonces, from the chain
 * itself: every payment was accepted under its own key with exactly one request id; every accepted request
 * reached a final state and was CONFIRMED; what the confirmed requests say was paid is exactly what each
 * payee received and each wallet lost on chain, to the unit; each wallet's nonce equals the transactions
 * mined from it, with nothing left pending; and the audit log verifies offline as one chain.
 */
final class FaultChecks {
    private static final Set<String> FINAL = Set.of("DENIED", "REJECTED", "EXPIRED", "CONFIRMED", "FAILED", "DIVERGED");

    private FaultChecks() {}

    /** As below, and the fault was felt: some payment had to be sent more than once before it was accepted. */
    static void assertFaultFeltAndNothingLostOrDoubled(
            Deployment deployment, List<Payment> payments, String fundedEach, Duration settle) {
        assertThat(payments.stream().filter(p -> p.attempts() > 1))
                .as("payments the fault made the agents retry")
                .isNotEmpty();
        assertNothingLostOrDoubled(deployment, payments, fundedEach, settle);
    }

    static void assertNothingLostOrDoubled(
            Deployment deployment, List<Payment> payments, String fundedEach, Duration settle) {
        assertThat(payments).as("the burst sent payments").hasSizeGreaterThan(10);
        assertThat(payments.stream().filter(p -> !p.accepted()))
                .as("payments that never got an accepted answer under their key")
                .isEmpty();
        assertThat(payments.stream().filter(p -> p.ids().size() != 1))
                .as("keys answered with more than one request id (each key is sent again once accepted)")
                .isEmpty();
        assertThat(payments.stream().map(Payment::id).distinct().count())
                .as("one request per key")
                .isEqualTo(payments.size());

        Map<String, String> finalStatus = awaitFinal(deployment, payments, settle);
        List<String> notConfirmed = payments.stream()
                .filter(p -> !"CONFIRMED".equals(finalStatus.get(p.id())))
                .map(p -> p.id() + " " + finalStatus.get(p.id()))
                .toList();
        assertThat(notConfirmed).as("accepted payments that were not confirmed").isEmpty();

        Map<AgentSpec, List<Payment>> byAgent = payments.stream().collect(Collectors.groupingBy(Payment::agent));
        for (Map.Entry<AgentSpec, List<Payment>> entry : byAgent.entrySet()) {
            AgentSpec agent = entry.getKey();
            List<Payment> paid = entry.getValue();
            BigDecimal sum = paid.stream().map(Payment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            TokenAmount expected = deployment.usdc(sum.toPlainString());
            Address payee = paid.get(0).payee();
            Address wallet = deployment.walletOf(agent);
            assertThat(deployment.usdcBalance(payee))
                    .as("what %s's payee received on chain", agent.id())
                    .isEqualTo(expected);
            assertThat(deployment.usdcBalance(wallet))
                    .as("what is left in %s's wallet on chain", agent.id())
                    .isEqualTo(deployment.usdc(fundedEach).minus(expected));
            long mined = deployment.chain().nonce(wallet, false);
            assertThat(mined)
                    .as("%s's nonce: one mined transaction per confirmed payment", agent.id())
                    .isEqualTo(paid.size());
            assertThat(deployment.chain().nonce(wallet, true))
                    .as("nothing of %s's left pending", agent.id())
                    .isEqualTo(mined);
        }
        deployment.assertAuditChainVerifies();
    }

    private static Map<String, String> awaitFinal(Deployment deployment, List<Payment> payments, Duration settle) {
        Instant deadline = Instant.now().plus(settle);
        Map<String, String> status = new HashMap<>();
        for (Payment payment : payments) {
            String last = null;
            while (true) {
                try {
                    AgentClient.Response answer =
                            deployment.clientOfAnyLive(payment.agent().apiKey()).request(payment.id());
                    last = answer.status() == 200 ? answer.text("status") : "HTTP " + answer.status();
                } catch (RuntimeException unanswered) {
                    last = "unanswered: " + unanswered.getMessage();
                }
                if (FINAL.contains(last) || Instant.now().isAfter(deadline)) {
                    break;
                }
                GuardianProcess.pause(Duration.ofMillis(200));
            }
            status.put(payment.id(), last);
        }
        return status;
    }
}
