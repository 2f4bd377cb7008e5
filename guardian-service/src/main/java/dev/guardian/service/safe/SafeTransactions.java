package dev.guardian.service.safe;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.signer.Eip712;
import dev.guardian.signer.TypedData;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link SafeTransaction} as Safe 1.4.1 hashes and executes it: the EIP-712 typed data an owner signs
 * (domain {@code {chainId, verifyingContract: safe}}, primary type {@code SafeTx}), its digest (the
 * {@link SafeTxHash} that {@code getTransactionHash} returns), and the calls that present signatures to the
 * Safe: {@code execTransaction}, which runs it, and the view {@code checkSignatures}, which reverts unless
 * the signatures are enough. Hashing goes through the signer module's {@link Eip712}, the same encoder that
 * hashes every other typed data Guardian signs, so there is one implementation of EIP-712 to trust.
 */
public final class SafeTransactions {
    /** Safe 1.4.1's {@code SAFE_TX_TYPEHASH} preimage, field for field. */
    public static final String SAFE_TX_TYPE =
            "SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,"
                    + "uint256 baseGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)";

    private static final Map<String, List<TypedData.Field>> TYPES = Map.of(
            Eip712.DOMAIN_TYPE,
            // Safe 1.4.1: keccak256("EIP712Domain(uint256 chainId,address verifyingContract)"); no name, no version.
            List.of(new TypedData.Field("chainId", "uint256"), new TypedData.Field("verifyingContract", "address")),
            "SafeTx",
            List.of(
                    new TypedData.Field("to", "address"),
                    new TypedData.Field("value", "uint256"),
                    new TypedData.Field("data", "bytes"),
                    new TypedData.Field("operation", "uint8"),
                    new TypedData.Field("safeTxGas", "uint256"),
                    new TypedData.Field("baseGas", "uint256"),
                    new TypedData.Field("gasPrice", "uint256"),
                    new TypedData.Field("gasToken", "address"),
                    new TypedData.Field("refundReceiver", "address"),
                    new TypedData.Field("nonce", "uint256")));

    private static final byte[] EXEC_TRANSACTION =
            Abi.selector("execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)");
    private static final byte[] CHECK_SIGNATURES = Abi.selector("checkSignatures(bytes32,bytes,bytes)");
    private static final byte[] GET_TRANSACTION_HASH = Abi.selector(
            "getTransactionHash(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,uint256)");
    private static final byte[] NONCE = Abi.selector("nonce()");

    private SafeTransactions() {}

    /**
     * The typed data an owner signs with {@code eth_signTypedData_v4} for {@code tx} on the Safe at
     * {@code safe} on chain {@code chainId}; what Guardian hands the agent to sign.
     */
    public static TypedData typedData(Address safe, ChainId chainId, SafeTransaction tx) {
        Objects.requireNonNull(safe, "safe");
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(tx, "tx");
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("chainId", BigInteger.valueOf(chainId.value()));
        domain.put("verifyingContract", safe);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("to", tx.to());
        message.put("value", tx.value().units());
        message.put("data", Hex.encode(tx.data()));
        message.put("operation", BigInteger.valueOf(tx.operation().code()));
        message.put("safeTxGas", tx.safeTxGas());
        message.put("baseGas", tx.baseGas());
        message.put("gasPrice", tx.gasPrice());
        message.put("gasToken", tx.gasToken());
        message.put("refundReceiver", tx.refundReceiver());
        message.put("nonce", tx.nonce());
        return new TypedData(TYPES, "SafeTx", domain, message);
    }

    /** The SafeTx hash: what owners sign, and what the Safe's {@code getTransactionHash} returns for the same fields. */
    public static SafeTxHash hash(Address safe, ChainId chainId, SafeTransaction tx) {
        return SafeTxHash.of(Eip712.digest(typedData(safe, chainId, tx)));
    }

    /** The Safe's EIP-712 domain separator, as its {@code domainSeparator()} returns it. */
    public static byte[] domainSeparator(Address safe, ChainId chainId) {
        return Eip712.domainSeparator(typedData(safe, chainId, probe()));
    }

    /**
     * The 66 bytes {@code 0x19 0x01 || domainSeparator || hashStruct(SafeTx)} whose keccak256 is the SafeTx
     * hash, as the Safe's {@code encodeTransactionData} returns them: the {@code data} argument of
     * {@code checkSignatures}, handed to a contract owner's ERC-1271 check.
     */
    public static byte[] transactionHashData(Address safe, ChainId chainId, SafeTransaction tx) {
        TypedData typed = typedData(safe, chainId, tx);
        byte[] encoded = new byte[2 + 32 + 32];
        encoded[0] = 0x19;
        encoded[1] = 0x01;
        System.arraycopy(Eip712.domainSeparator(typed), 0, encoded, 2, 32);
        System.arraycopy(Eip712.hashStruct(typed, "SafeTx", typed.message()), 0, encoded, 34, 32);
        return encoded;
    }

    /**
     * Calldata of {@code execTransaction(to, value, data, operation, safeTxGas, baseGas, gasPrice, gasToken,
     * refundReceiver, signatures)}: runs {@code tx} if {@code signatures} (see {@link SafeSignatures#encode})
     * are enough. Anyone may submit it.
     */
    public static byte[] execTransactionData(SafeTransaction tx, byte[] signatures) {
        Objects.requireNonNull(tx, "tx");
        Objects.requireNonNull(signatures, "signatures");
        return Abi.call(
                EXEC_TRANSACTION,
                Abi.address(tx.to()),
                Abi.uint(tx.value().units()),
                new Abi.DynamicBytes(tx.data()),
                Abi.uint(tx.operation().code()),
                Abi.uint(tx.safeTxGas()),
                Abi.uint(tx.baseGas()),
                Abi.uint(tx.gasPrice()),
                Abi.address(tx.gasToken()),
                Abi.address(tx.refundReceiver()),
                new Abi.DynamicBytes(signatures));
    }

    /**
     * The Ethereum call that executes {@code tx} on {@code safe}, sent by {@code submitter} (a relayer, or the
     * agent itself) with no ETH attached: what Guardian simulates and, when it submits, signs.
     */
    public static ContractCall execTransaction(Address submitter, Address safe, SafeTransaction tx, byte[] signatures) {
        Objects.requireNonNull(submitter, "submitter");
        Objects.requireNonNull(safe, "safe");
        return new ContractCall(
                submitter, safe, TokenAmount.zero(tx.value().asset()), execTransactionData(tx, signatures));
    }

    /**
     * Calldata of the view {@code checkSignatures(safeTxHash, encodedTransactionData, signatures)}, which
     * returns nothing and reverts (Safe's {@code GS0xx} codes) unless {@code signatures} are the Safe's
     * threshold of valid owner signatures, ordered by owner, over {@code tx}.
     */
    public static byte[] checkSignaturesData(Address safe, ChainId chainId, SafeTransaction tx, byte[] signatures) {
        Objects.requireNonNull(signatures, "signatures");
        return Abi.call(
                CHECK_SIGNATURES,
                Abi.bytes32(hash(safe, chainId, tx).toBytes()),
                new Abi.DynamicBytes(transactionHashData(safe, chainId, tx)),
                new Abi.DynamicBytes(signatures));
    }

    /** {@link #checkSignaturesData} as a call on {@code safe} from {@code from}, for {@code eth_call}. */
    public static ContractCall checkSignatures(
            Address from, Address safe, ChainId chainId, SafeTransaction tx, byte[] signatures) {
        return new ContractCall(
                from, safe, TokenAmount.zero(Asset.ether()), checkSignaturesData(safe, chainId, tx, signatures));
    }

    /**
     * Calldata of the Safe's own {@code getTransactionHash(...)} for {@code tx}, answered with one bytes32:
     * to compare Guardian's {@link #hash} with the contract's, e.g. once per Safe when it is created.
     */
    public static byte[] getTransactionHashData(SafeTransaction tx) {
        Objects.requireNonNull(tx, "tx");
        return Abi.call(
                GET_TRANSACTION_HASH,
                Abi.address(tx.to()),
                Abi.uint(tx.value().units()),
                new Abi.DynamicBytes(tx.data()),
                Abi.uint(tx.operation().code()),
                Abi.uint(tx.safeTxGas()),
                Abi.uint(tx.baseGas()),
                Abi.uint(tx.gasPrice()),
                Abi.address(tx.gasToken()),
                Abi.address(tx.refundReceiver()),
                Abi.uint(tx.nonce()));
    }

    /** Calldata of the Safe's {@code nonce()} (one uint256): the nonce its next transaction must carry. */
    public static byte[] nonceData() {
        return NONCE.clone();
    }

    /** Any transaction: the domain separator does not depend on the message. */
    private static SafeTransaction probe() {
        return SafeTransaction.call(
                Address.ZERO,
                TokenAmount.zero(Asset.ether()),
                new byte[0],
                SafeTransaction.Operation.CALL,
                BigInteger.ZERO);
    }
}
