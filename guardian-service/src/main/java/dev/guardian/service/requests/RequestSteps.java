package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Hex;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.service.audit.AuditEvent;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.signatures.OnChainUse;
import dev.guardian.service.signatures.Recognised;
import dev.guardian.service.signatures.TypedDataJson;
import dev.guardian.signer.Eip712;
import java.time.Instant;
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

    /**
     * What a person of the treasury asked for on an agent's wallet ({@code action}: the request's kind), in
     * its own terms with the person's comment ({@code asked}), and the transaction Guardian built from it.
     * Its actor is the person.
     */
    @AuditEvent.Name("treasury-action-requested")
    public record TreasuryActionRequested(
            AgentId agent, Address wallet, String action, Map<String, String> asked, Transaction transaction)
            implements AuditEvent.OfRequest, AuditEvent.AboutAgent, AuditEvent.AboutWallet {
        public TreasuryActionRequested {
            asked = new TreeMap<>(asked);
        }
    }

    /**
     * What simulating the transaction showed: it succeeded with these effects, it would revert, or what
     * it would do cannot be read ({@code undecodable}, with the reason).
     */
    @AuditEvent.Name("simulation")
    public record Simulated(
            String result, Optional<List<EffectView>> effects, Optional<String> reverted, Optional<String> undecodable)
            implements AuditEvent.OfRequest {
        public static Simulated of(Simulation simulation, List<EffectView> effects) {
            return switch (simulation) {
                case Simulation.Succeeded s -> succeeded(effects);
                case Simulation.Reverted r -> reverted(r.reason());
                case Simulation.Undecodable u ->
                    new Simulated("undecodable", Optional.empty(), Optional.empty(), Optional.of(u.reason()));
            };
        }

        public static Simulated succeeded(List<EffectView> effects) {
            return new Simulated("succeeded", Optional.of(effects), Optional.empty(), Optional.empty());
        }

        public static Simulated reverted(String reason) {
            return new Simulated("reverted", Optional.empty(), Optional.of(reason), Optional.empty());
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

    /**
     * What the agent asked Guardian to sign, in its own terms ({@code request}: the canonical text that
     * identifies it), the typed data exactly as it will be signed ({@code typedData}, the JSON of
     * {@code eth_signTypedData_v4}) and its EIP-712 digest. An x402 payment also names the resource and the
     * price it was quoted ({@code x402}); the resource and its origin as the agent asserted them
     * ({@code assertedResource}, {@code assertedOrigin}): Guardian sees neither the request nor the 402 answer
     * first hand.
     */
    @AuditEvent.Name("signature-requested")
    public record SignatureRequested(
            AgentId agent,
            Address wallet,
            String request,
            Optional<String> idempotencyKey,
            Map<String, Object> typedData,
            String digest,
            Optional<Map<String, String>> x402)
            implements AuditEvent.OfRequest, AuditEvent.AboutAgent, AuditEvent.AboutWallet {
        static SignatureRequested of(
                AgentId agent, Address wallet, AgentRequest.SignatureRequest asked, Optional<String> idempotencyKey) {
            Optional<Map<String, String>> x402 = asked.x402().map(quote -> {
                Map<String, String> bound = new TreeMap<>();
                bound.put(AgentRequest.X402Payment.ASSERTED_RESOURCE, quote.resourceUrl());
                bound.put(AgentRequest.X402Payment.ASSERTED_ORIGIN, quote.origin());
                bound.put(
                        "price",
                        quote.price().toDecimalString() + " "
                                + quote.price().asset().symbol());
                bound.put("priceUnits", quote.price().units().toString());
                return bound;
            });
            return new SignatureRequested(
                    agent,
                    wallet,
                    asked.canonicalText(),
                    idempotencyKey,
                    TypedDataJson.of(asked.typedData()),
                    Hex.encode(Eip712.digest(asked.typedData())),
                    x402);
        }
    }

    /**
     * What the typed data would let others do, as Guardian read it (nothing is simulated: the signature
     * states what happens whenever it is used): the standard it was recognised as, the effects, until when
     * it can be used, or why it is refused.
     */
    @AuditEvent.Name("typed-data-read")
    public record TypedDataRead(
            String standard, List<EffectView> effects, Optional<Instant> usableUntil, Optional<String> refused)
            implements AuditEvent.OfRequest {
        static TypedDataRead of(Recognised recognised, List<EffectView> effects) {
            return new TypedDataRead(
                    recognised.terms().standard().name(),
                    effects,
                    recognised.use().map(OnChainUse::usableUntil),
                    recognised.terms().refusal());
        }
    }
}
