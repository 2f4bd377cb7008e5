package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Default deny for code: a call that carries calldata must name a contract on the policy's contract
 * allowlist, one of that contract's allowed functions, and arguments within that function's rules;
 * otherwise it escalates (or is denied, as the policy says). Whatever a contract can do with the
 * wallet's authority (withdraw its deposits to anyone, name operators, claim its rewards elsewhere)
 * is only ever done through functions someone listed. A call without calldata is a plain value
 * transfer and is judged by the value rules alone. A typed-data signature equivalent to several calls
 * (Permit2's {@code PermitBatch}: one {@code approve} per detail) has every one of them judged.
 */
final class ContractAllowlistRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        // A Permit2 batch signature is several approvals at once: each is judged as its own call, so the
        // first harmless one cannot stand for the rest.
        return evaluation.calls().stream()
                .flatMap(call -> check(call, evaluation).stream())
                .distinct()
                .toList();
    }

    private static List<Reason> check(WalletCall call, Evaluation evaluation) {
        if (!call.hasCalldata()) {
            return List.of();
        }
        ContractRules contracts = evaluation.policy().contracts();
        Verdict verdict = contracts.outside();
        Optional<ContractEntry> entry = contracts.entry(call.to());
        if (entry.isEmpty()) {
            return List.of(reason(
                            verdict,
                            RuleId.CONTRACT_NOT_ALLOWLISTED,
                            call.to() + " is not on this agent's contract allowlist; what a call to it does with the"
                                    + " wallet's authority cannot be judged by its effects alone")
                    .about(call.to()));
        }
        Optional<Selector> selector = call.selector();
        ContractEntry.Function function =
                selector.map(s -> entry.get().functions().get(s)).orElse(null);
        if (function == null) {
            String named = selector.map(s -> "function " + s).orElse("calldata shorter than a selector");
            return List.of(reason(
                            verdict,
                            RuleId.FUNCTION_NOT_ALLOWLISTED,
                            named + " of " + entry.get().label() + " (" + call.to() + ") is not allowed for this agent;"
                                    + " allowed: "
                                    + entry.get().functions().values().stream()
                                            .map(f -> f.signature().canonical())
                                            .sorted()
                                            .toList())
                    .about(call.to()));
        }
        List<Reason> reasons = new ArrayList<>();
        for (ArgumentCondition rule : function.arguments()) {
            Optional<byte[]> word = call.argumentWord(rule.index());
            String type = function.signature().parameters().get(rule.index());
            Optional<String> broken = word.isEmpty()
                    ? Optional.of("is missing from the calldata")
                    : broken(rule.constraint(), type, word.get(), evaluation);
            broken.ifPresent(why -> reasons.add(reason(
                            verdict,
                            RuleId.ARGUMENT_NOT_ALLOWED,
                            "argument " + rule.index() + " (" + type + ") of " + function.signature() + " on "
                                    + entry.get().label() + " " + why + "; it must be "
                                    + rule.constraint().describe())
                    .about(call.to())));
        }
        return reasons;
    }

    /** Why a word breaks the constraint, or empty when it keeps it. */
    private static Optional<String> broken(
            ArgumentCondition.Constraint constraint, String type, byte[] word, Evaluation evaluation) {
        return switch (constraint) {
            case ArgumentCondition.AtMost max -> {
                BigInteger value = new BigInteger(1, word);
                yield value.compareTo(max.units()) > 0 ? Optional.of("is " + value) : Optional.empty();
            }
            case ArgumentCondition.Payee payee ->
                address(word)
                        .map(a -> {
                            AllowlistEntry listed =
                                    evaluation.policy().allowlist().get(a);
                            boolean ok = a.equals(evaluation.wallet())
                                    || (listed != null && listed.isPayee() && listed.isCurrent(evaluation.now()));
                            return ok ? Optional.<String>empty() : Optional.of("is " + a);
                        })
                        .orElse(Optional.of("is not an address"));
            case ArgumentCondition.Wallet wallet ->
                address(word)
                        .map(a -> a.equals(evaluation.wallet()) ? Optional.<String>empty() : Optional.of("is " + a))
                        .orElse(Optional.of("is not an address"));
            case ArgumentCondition.OneOf oneOf ->
                address(word)
                        .map(a -> oneOf.addresses().contains(a) ? Optional.<String>empty() : Optional.of("is " + a))
                        .orElse(Optional.of("is not an address"));
        };
    }

    /** The address a word holds, if it is one (the upper 12 bytes are zero). */
    private static Optional<Address> address(byte[] word) {
        for (int i = 0; i < 12; i++) {
            if (word[i] != 0) {
                return Optional.empty();
            }
        }
        byte[] bytes = new byte[Address.LENGTH];
        System.arraycopy(word, 12, bytes, 0, Address.LENGTH);
        return Optional.of(Address.of(bytes));
    }

    private static Reason reason(Verdict verdict, RuleId rule, String message) {
        return verdict == Verdict.DENY ? Reason.deny(rule, message) : Reason.escalate(rule, message);
    }
}
