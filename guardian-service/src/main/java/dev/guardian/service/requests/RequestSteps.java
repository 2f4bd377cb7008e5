package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.service.audit.AuditEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The audit records of the steps before a decision: what was asked, what the simulation showed, what screening found. */
public final class RequestSteps {
    private RequestSteps() {}

    /** The exact call that would be signed, as recorded with the request. */
    public record Transaction(String to, String value, String data) {}

    /** What the agent asked for, in its own terms, and the transaction Guardian built from it. */
    @AuditEvent.Name("request-received")
    public record Received(
            AgentId agent, Address wallet, String request, Optional<String> idempotencyKey, Transaction transaction)
            implements AuditEvent.OfRequest, AuditEvent.AboutAgent, AuditEvent.AboutWallet {}

    /** What simulating the transaction showed: it succeeded with these effects, or it would revert. */
    @AuditEvent.Name("simulation")
    public record Simulated(String result, Optional<List<EffectView>> effects, Optional<String> reverted)
            implements AuditEvent.OfRequest {
        public static Simulated succeeded(List<EffectView> effects) {
            return new Simulated("succeeded", Optional.of(effects), Optional.empty());
        }

        public static Simulated reverted(String reason) {
            return new Simulated("reverted", Optional.empty(), Optional.of(reason));
        }
    }

    /** Why a screening could not be trusted, and what that did to the request. */
    public record NotCurrent(String verdict, List<String> problems) {}

    /** What screening found: every list version used, how many addresses, each hit and each override applied. */
    @AuditEvent.Name("screening")
    public record Screened(
            String list,
            List<String> versions,
            int screened,
            List<Address> hits,
            Optional<Map<String, String>> overridden,
            Optional<NotCurrent> notCurrent)
            implements AuditEvent.OfRequest {
        public static Screened of(ScreeningResult screening) {
            Map<String, String> overridden = new TreeMap<>();
            screening.overridden().forEach((address, reason) -> overridden.put(address.toString(), reason));
            return new Screened(
                    screening.listVersion(),
                    screening.versions(),
                    screening.screened().size(),
                    screening.hits().stream().sorted().toList(),
                    overridden.isEmpty() ? Optional.empty() : Optional.of(overridden),
                    screening.notCurrent().map(n -> new NotCurrent(n.verdict().name(), n.problems())));
        }
    }
}
