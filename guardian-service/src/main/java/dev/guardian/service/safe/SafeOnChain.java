package dev.guardian.service.safe;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.service.chain.ChainAdapter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * A Safe as the chain holds it, read with the Safe's own views (its nonce, owners, threshold, guard, fallback
 * handler and modules), and the parts of Safe 1.4.1 Guardian reads rather than writes: its bookkeeping events
 * and MultiSendCallOnly's packed batch, parsed as exactly as the guard parses it (an entry is operation (1),
 * to (20), value (32), data length (32), data; only an exact tiling, only operation 0).
 */
public final class SafeOnChain {
    /** topic0 of {@code ExecutionSuccess(bytes32 txHash, uint256 payment)}. */
    public static final String EXECUTION_SUCCESS_TOPIC = topic("ExecutionSuccess(bytes32,uint256)");

    /** topic0 of SafeL2's {@code SafeMultiSigTransaction(...)}, emitted before each execution. */
    public static final String SAFE_MULTISIG_TRANSACTION_TOPIC = topic("SafeMultiSigTransaction(address,uint256,bytes,"
            + "uint8,uint256,uint256,uint256,address,address,bytes,bytes)");

    /** keccak256("guard_manager.guard.address"): where Safe 1.4.1 keeps its guard. */
    static final BigInteger GUARD_SLOT =
            new BigInteger("4a204f620c8c5ccdca3fd54d003badd85ba500436a431f0cbda4f558c93c34c8", 16);

    /** keccak256("fallback_manager.handler.address"). */
    static final BigInteger FALLBACK_HANDLER_SLOT =
            new BigInteger("6c9a6c4a39284e37ed1cf53d337577d14212a4870fb976a4366c693b939918d5", 16);

    private static final Address SENTINEL = Address.parse("0x0000000000000000000000000000000000000001");
    private static final byte[] MULTI_SEND = Abi.selector("multiSend(bytes)");

    private SafeOnChain() {}

    /** One call of a MultiSendCallOnly batch. */
    public record BatchEntry(Address to, BigInteger value, byte[] data) {
        public BatchEntry {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /** The Safe now: what Guardian compares with what it created before it co-signs anything. */
    public record State(
            BigInteger nonce,
            List<Address> owners,
            int threshold,
            Address guard,
            Address fallbackHandler,
            Optional<Address> firstModule) {
        public State {
            owners = List.copyOf(owners);
        }

        /** How the Safe differs from the expected setup, in words; empty when it does not. */
        public Optional<String> differenceFrom(
                List<Address> expectedOwners, int expectedThreshold, Address expectedGuard, Address expectedHandler) {
            List<String> differences = new ArrayList<>();
            if (!new HashSet<>(owners).equals(new HashSet<>(expectedOwners))) {
                differences.add("its owners are " + owners + ", not " + expectedOwners);
            }
            if (threshold != expectedThreshold) {
                differences.add("its threshold is " + threshold + ", not " + expectedThreshold);
            }
            if (!guard.equals(expectedGuard)) {
                differences.add("its guard is " + guard + ", not " + expectedGuard);
            }
            if (!fallbackHandler.equals(expectedHandler)) {
                differences.add("its fallback handler is " + fallbackHandler + ", not " + expectedHandler);
            }
            firstModule.ifPresent(module -> differences.add("module " + module + " is enabled"));
            return differences.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", differences));
        }
    }

    /**
     * Reads the Safe at {@code safe} at the latest block.
     *
     * @throws dev.guardian.service.chain.ChainException when the chain cannot be read or no Safe answers there
     */
    public static State read(ChainAdapter chain, Address safe) {
        BigInteger nonce = new BigInteger(1, chain.callLatest(safe, Abi.selector("nonce()"), 32));
        int threshold = new BigInteger(1, chain.callLatest(safe, Abi.selector("getThreshold()"), 32)).intValueExact();
        List<Address> owners = addresses(chain.callLatest(safe, Abi.selector("getOwners()"), 64), 0);
        Address guard = storedAddress(chain, safe, GUARD_SLOT);
        Address handler = storedAddress(chain, safe, FALLBACK_HANDLER_SLOT);
        byte[] modules = chain.callLatest(
                safe,
                Abi.call(Abi.selector("getModulesPaginated(address,uint256)"), Abi.address(SENTINEL), Abi.uint(1)),
                96);
        List<Address> enabled = addresses(modules, 0);
        return new State(
                nonce,
                owners,
                threshold,
                guard,
                handler,
                enabled.isEmpty() ? Optional.empty() : Optional.of(enabled.getFirst()));
    }

    private static Address storedAddress(ChainAdapter chain, Address safe, BigInteger slot) {
        byte[] answer = chain.callLatest(
                safe, Abi.call(Abi.selector("getStorageAt(uint256,uint256)"), Abi.uint(slot), Abi.uint(1)), 96);
        return Address.of(Arrays.copyOfRange(answer, 64 + 12, 96));
    }

    /** An ABI {@code address[]} whose offset word is at {@code head}. */
    private static List<Address> addresses(byte[] answer, int head) {
        int offset = new BigInteger(1, Arrays.copyOfRange(answer, head, head + 32)).intValueExact();
        int length = new BigInteger(1, Arrays.copyOfRange(answer, offset, offset + 32)).intValueExact();
        List<Address> out = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            int at = offset + 32 + 32 * i;
            out.add(Address.of(Arrays.copyOfRange(answer, at + 12, at + 32)));
        }
        return out;
    }

    /**
     * The calls of {@code multiSend(bytes)} calldata, exactly as the guard and MultiSendCallOnly read them.
     *
     * @throws IllegalArgumentException saying where, when it is not {@code multiSend(bytes)} or not an exact
     *     tiling of CALL entries
     */
    public static List<BatchEntry> multiSendEntries(byte[] calldata) {
        if (calldata.length < 4 + 64 || !Arrays.equals(calldata, 0, 4, MULTI_SEND, 0, 4)) {
            throw new IllegalArgumentException("the DELEGATECALL to MultiSendCallOnly is not multiSend(bytes)");
        }
        byte[] transactions;
        try {
            transactions = Abi.decodeBytes(Arrays.copyOfRange(calldata, 4, calldata.length));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("multiSend's argument is not ABI-encoded bytes");
        }
        List<BatchEntry> entries = new ArrayList<>();
        int offset = 0;
        while (offset < transactions.length) {
            if (transactions.length - offset < 85) {
                throw new IllegalArgumentException("the entry at byte " + offset + " is truncated");
            }
            int operation = Byte.toUnsignedInt(transactions[offset]);
            Address to = Address.of(Arrays.copyOfRange(transactions, offset + 1, offset + 21));
            BigInteger value = new BigInteger(1, Arrays.copyOfRange(transactions, offset + 21, offset + 53));
            BigInteger length = new BigInteger(1, Arrays.copyOfRange(transactions, offset + 53, offset + 85));
            if (operation != 0) {
                throw new IllegalArgumentException(
                        "the entry at byte " + offset + " is a DELEGATECALL, which MultiSendCallOnly refuses");
            }
            if (length.compareTo(BigInteger.valueOf(transactions.length - offset - 85)) > 0) {
                throw new IllegalArgumentException("the entry at byte " + offset + " claims more data than follows");
            }
            int size = length.intValueExact();
            entries.add(new BatchEntry(to, value, Arrays.copyOfRange(transactions, offset + 85, offset + 85 + size)));
            offset += 85 + size;
        }
        return entries;
    }

    private static String topic(String signature) {
        return Hex.encode(Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII)));
    }
}
