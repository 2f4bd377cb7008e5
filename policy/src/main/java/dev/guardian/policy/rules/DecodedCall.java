package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A call as an approver reads it: the contract's label and the function, by the signature its policy entry
 * gives, with each argument decoded by its ABI type. A call the policy does not describe (an unknown
 * contract, or a selector its entry does not list) keeps its selector and raw 32-byte words, because
 * guessing a function from a selector is how approvers get fooled.
 *
 * @param contract  the label of the contract's entry, when the policy lists it
 * @param function  the canonical signature, when the entry lists the selector
 * @param selector  the 4-byte selector, when the call has calldata
 * @param arguments the decoded arguments; or, for a function the policy does not describe, each word raw
 */
public record DecodedCall(
        Optional<String> contract, Optional<String> function, Optional<String> selector, List<Argument> arguments) {

    /** One argument: its ABI type ({@code word} when undescribed) and value as text. */
    public record Argument(String type, String value) {}

    public DecodedCall {
        arguments = List.copyOf(arguments);
    }

    public static DecodedCall of(ContractRules rules, WalletCall call) {
        Optional<ContractEntry> entry = rules.entry(call.to());
        Optional<String> label = entry.map(ContractEntry::label);
        Optional<Selector> selector = call.selector();
        if (selector.isEmpty()) {
            return new DecodedCall(label, Optional.empty(), Optional.empty(), List.of());
        }
        Optional<ContractEntry.Function> function =
                entry.flatMap(e -> Optional.ofNullable(e.functions().get(selector.get())));
        if (function.isEmpty()) {
            return new DecodedCall(
                    label, Optional.empty(), Optional.of(selector.get().toString()), rawWords(call));
        }
        FunctionSignature signature = function.get().signature();
        List<Argument> arguments = new ArrayList<>();
        for (int i = 0; i < signature.parameters().size(); i++) {
            String type = signature.parameters().get(i);
            Optional<byte[]> word = call.argumentWord(i);
            String value = word.isEmpty()
                    ? "(missing)"
                    : signature.isStatic(i)
                            ? elementary(type, word.get())
                            : "(dynamic, at offset " + unsigned(word.get()) + ")";
            arguments.add(new Argument(type, value));
        }
        return new DecodedCall(
                label,
                Optional.of(signature.canonical()),
                Optional.of(selector.get().toString()),
                arguments);
    }

    private static List<Argument> rawWords(WalletCall call) {
        List<Argument> words = new ArrayList<>();
        byte[] data = call.data();
        for (int from = Selector.LENGTH; from < data.length; from += 32) {
            words.add(new Argument(
                    "word", Hex.encode(Arrays.copyOfRange(data, from, Math.min(from + 32, data.length)))));
        }
        return words;
    }

    /** A static ABI value from its word; a word that is not a valid encoding of its type says so. */
    private static String elementary(String type, byte[] word) {
        if (type.equals("address")) {
            return isZero(word, 0, 12)
                    ? Address.of(Arrays.copyOfRange(word, 12, 32)).toString()
                    : "(not an address: " + Hex.encode(word) + ")";
        }
        if (type.equals("bool")) {
            BigInteger value = unsigned(word);
            return value.equals(BigInteger.ZERO)
                    ? "false"
                    : value.equals(BigInteger.ONE) ? "true" : "(not a bool: " + value + ")";
        }
        if (type.startsWith("uint")) {
            return unsigned(word).toString();
        }
        if (type.startsWith("int")) {
            return new BigInteger(word).toString();
        }
        // bytesN: left-aligned.
        int length = Integer.parseInt(type.substring("bytes".length()));
        return Hex.encode(Arrays.copyOf(word, length));
    }

    private static BigInteger unsigned(byte[] word) {
        return new BigInteger(1, word);
    }

    private static boolean isZero(byte[] word, int from, int to) {
        for (int i = from; i < to; i++) {
            if (word[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
