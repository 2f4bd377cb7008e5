package dev.guardian.service.safe;

import dev.guardian.policy.Address;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The few Solidity ABI encodings the Safe calls need (words, dynamic {@code bytes}, {@code address[]}), kept
 * here rather than borrowed from Web3j, whose types stay inside the chain adapter. Strict: a number that does
 * not fit a uint256 is refused rather than truncated, since a wrapped value would encode another call.
 */
final class Abi {
    static final int WORD = 32;

    private Abi() {}

    /** An argument of a call: one static word, or a dynamic value encoded in the tail. */
    sealed interface Argument permits Word, DynamicBytes, AddressArray {}

    record Word(byte[] word) implements Argument {
        Word {
            if (word.length != WORD) {
                throw new IllegalArgumentException("an ABI word is 32 bytes");
            }
            word = word.clone();
        }
    }

    record DynamicBytes(byte[] bytes) implements Argument {
        DynamicBytes {
            bytes = bytes.clone();
        }
    }

    record AddressArray(List<Address> addresses) implements Argument {
        AddressArray {
            addresses = List.copyOf(addresses);
        }
    }

    static byte[] selector(String signature) {
        return Arrays.copyOf(Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII)), 4);
    }

    static Word uint(BigInteger value) {
        Objects.requireNonNull(value, "value");
        if (value.signum() < 0 || value.compareTo(TokenAmount.MAX_UINT256) > 0) {
            throw new IllegalArgumentException(value + " does not fit a uint256");
        }
        byte[] word = new byte[WORD];
        byte[] magnitude = value.toByteArray();
        int length = Math.min(magnitude.length, WORD); // a leading sign byte of a 256-bit value is dropped
        System.arraycopy(magnitude, magnitude.length - length, word, WORD - length, length);
        return new Word(word);
    }

    static Word uint(long value) {
        return uint(BigInteger.valueOf(value));
    }

    static Word address(Address address) {
        byte[] word = new byte[WORD];
        System.arraycopy(address.toBytes(), 0, word, WORD - Address.LENGTH, Address.LENGTH);
        return new Word(word);
    }

    static Word bytes32(byte[] value) {
        return new Word(value);
    }

    /** {@code selector || abi.encode(arguments...)}: heads in order, dynamic values in the tail. */
    static byte[] call(byte[] selector, Argument... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(selector);
        out.writeBytes(encode(arguments));
        return out.toByteArray();
    }

    /** {@code abi.encode(arguments...)}. */
    static byte[] encode(Argument... arguments) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        long headLength = (long) WORD * arguments.length;
        for (Argument argument : arguments) {
            switch (argument) {
                case Word w -> head.writeBytes(w.word());
                case DynamicBytes b -> {
                    head.writeBytes(uint(headLength + tail.size()).word());
                    tail.writeBytes(uint(b.bytes().length).word());
                    tail.writeBytes(b.bytes());
                    tail.writeBytes(new byte[padding(b.bytes().length)]);
                }
                case AddressArray a -> {
                    head.writeBytes(uint(headLength + tail.size()).word());
                    tail.writeBytes(uint(a.addresses().size()).word());
                    a.addresses().forEach(each -> tail.writeBytes(address(each).word()));
                }
            }
        }
        head.writeBytes(tail.toByteArray());
        return head.toByteArray();
    }

    /**
     * The one dynamic {@code bytes} a function returns ({@code abi.encode(bytes)}): offset, length, content.
     *
     * @throws IllegalArgumentException if the answer is not such an encoding
     */
    static byte[] decodeBytes(byte[] answer) {
        if (answer.length < 2 * WORD) {
            throw new IllegalArgumentException("an encoded bytes value is at least 64 bytes, got " + answer.length);
        }
        BigInteger offset = new BigInteger(1, Arrays.copyOfRange(answer, 0, WORD));
        if (offset.compareTo(BigInteger.valueOf(answer.length - WORD)) > 0) {
            throw new IllegalArgumentException("the bytes offset points past the answer");
        }
        int start = offset.intValueExact();
        BigInteger length = new BigInteger(1, Arrays.copyOfRange(answer, start, start + WORD));
        if (length.compareTo(BigInteger.valueOf(answer.length - start - WORD)) > 0) {
            throw new IllegalArgumentException("the bytes length runs past the answer");
        }
        return Arrays.copyOfRange(answer, start + WORD, start + WORD + length.intValueExact());
    }

    private static int padding(int length) {
        return (WORD - length % WORD) % WORD;
    }
}
