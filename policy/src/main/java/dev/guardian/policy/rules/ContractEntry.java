package dev.guardian.policy.rules;

import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A contract the agent may call: its label, the functions it may call on it (each with its argument
 * rules), and the events the contract emits that Guardian may ignore (by signature, such as
 * {@code Swap(address,uint256,uint256)}); any other event the contract emits for such a call escalates.
 */
public record ContractEntry(String label, Map<Selector, Function> functions, Set<String> knownEventTopics) {

    /** One allowed function and what its arguments may be. */
    public record Function(FunctionSignature signature, List<ArgumentCondition> arguments) {
        public Function {
            Objects.requireNonNull(signature, "signature");
            arguments = List.copyOf(arguments);
            for (ArgumentCondition rule : arguments) {
                if (rule.index() >= signature.parameters().size()) {
                    throw new IllegalArgumentException(signature + " has no argument " + rule.index());
                }
                String type = signature.parameters().get(rule.index());
                if (!signature.isStatic(rule.index()) || !rule.constraint().appliesTo(type)) {
                    throw new IllegalArgumentException("argument " + rule.index() + " of " + signature + " is a " + type
                            + ", which cannot be " + rule.constraint().describe());
                }
            }
        }
    }

    public ContractEntry {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a contract entry has a label");
        }
        functions = Map.copyOf(functions);
        knownEventTopics = Set.copyOf(knownEventTopics);
        functions.forEach((selector, function) -> {
            if (!function.signature().selector().equals(selector)) {
                throw new IllegalArgumentException(function.signature() + " is filed under another selector");
            }
        });
    }

    /** An entry from its functions, each filed under its own selector. */
    public static ContractEntry of(String label, List<Function> functions, List<String> knownEvents) {
        Map<Selector, Function> bySelector = new LinkedHashMap<>();
        for (Function function : functions) {
            if (bySelector.put(function.signature().selector(), function) != null) {
                throw new IllegalArgumentException(
                        label + " lists " + function.signature() + " twice (or two functions" + " with one selector)");
            }
        }
        return new ContractEntry(
                label,
                bySelector,
                knownEvents.stream().map(ContractEntry::eventTopic).collect(Collectors.toSet()));
    }

    /**
     * What a registered ERC-20 token needs by default: its own {@code transfer} and {@code approve}. Every
     * effect they have (Transfer and Approval events) is judged by the value rules, so they need no
     * argument rules of their own.
     */
    public static ContractEntry erc20(String label) {
        return of(
                label,
                List.of(
                        new Function(FunctionSignature.parse("transfer(address,uint256)"), List.of()),
                        new Function(FunctionSignature.parse("approve(address,uint256)"), List.of())),
                List.of());
    }

    /** The topic of an event signature, as 0x hex: what a log's first topic holds. */
    public static String eventTopic(String eventSignature) {
        FunctionSignature parsed = FunctionSignature.parse(eventSignature);
        return Hex.encode(Keccak256.hash(parsed.canonical().getBytes(StandardCharsets.US_ASCII)));
    }
}
