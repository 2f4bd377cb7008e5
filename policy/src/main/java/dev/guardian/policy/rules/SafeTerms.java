package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the hard rules of a co-signed Safe read of one Safe transaction, besides its effects: its operation
 * and target, the calls it makes (the call itself, or each call of a MultiSendCallOnly batch), its gas
 * fields, its nonce against the Safe's, who signed it, and what the Safe on chain looks like now against
 * what Guardian created. The effects are judged by the same rules as any wallet's; these only say what
 * Guardian never co-signs for an agent.
 *
 * @param safe          the Safe (the paying wallet)
 * @param guard         the guard Guardian installed in the Safe's creation
 * @param multiSend     the only contract the Safe may DELEGATECALL
 * @param delegateCall  whether the Safe transaction's operation is DELEGATECALL
 * @param to            the Safe transaction's target
 * @param calls         the calls it makes: the call itself, or each entry of the batch (empty if unreadable)
 * @param multiSendProblem why a batch could not be read exactly, when it could not
 * @param refundFields  the gas fields that would make the Safe pay a refund, by name, when not zero
 * @param nonce         the nonce the agent signed
 * @param safeNonce     the Safe's nonce on chain now
 * @param agentOwner    the agent's own owner key
 * @param signer        whom the agent's signature recovers to (empty: it recovers to no one)
 * @param setupProblem  how the Safe on chain differs from what Guardian created, when it does
 */
public record SafeTerms(
        Address safe,
        Address guard,
        Address multiSend,
        boolean delegateCall,
        Address to,
        List<InnerCall> calls,
        Optional<String> multiSendProblem,
        List<String> refundFields,
        BigInteger nonce,
        BigInteger safeNonce,
        Address agentOwner,
        Optional<Address> signer,
        Optional<String> setupProblem) {

    /** One call the Safe makes: its target and its 4-byte selector, if the data has one. */
    public record InnerCall(Address to, Optional<Selector> selector) {
        public InnerCall {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(selector, "selector");
        }
    }

    public SafeTerms {
        Objects.requireNonNull(safe, "safe");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(multiSend, "multiSend");
        Objects.requireNonNull(to, "to");
        calls = List.copyOf(calls);
        Objects.requireNonNull(multiSendProblem, "multiSendProblem");
        refundFields = List.copyOf(refundFields);
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(safeNonce, "safeNonce");
        Objects.requireNonNull(agentOwner, "agentOwner");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(setupProblem, "setupProblem");
    }
}
