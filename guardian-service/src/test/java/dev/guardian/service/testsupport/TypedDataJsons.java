package dev.guardian.service.testsupport;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * EIP-712 typed data as an agent would send it ({@code eth_signTypedData_v4} JSON) for the test token: an
 * EIP-3009 TransferWithAuthorization or an EIP-2612 Permit, with the token's real domain unless a test
 * changes it, or a Permit2 PermitSingle or PermitBatch; and the token calls that use the signature on chain,
 * as a facilitator would send them.
 */
public final class TypedDataJsons {
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final String TOKEN_NAME = "Test USD Coin";

    private TypedDataJsons() {}

    public static byte[] randomNonce() {
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    public static String domain(String name, long chainId, Address token) {
        return """
                {"name": "%s", "version": "2", "chainId": %d, "verifyingContract": "%s"}""".formatted(name, chainId, token.toLowerHex());
    }

    private static final String DOMAIN_TYPE = """
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
              {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}]""";

    /** A TransferWithAuthorization of {@code units} from {@code from} to {@code to}, valid until {@code validBefore}. */
    public static String transferWithAuthorization(
            String domain,
            Address from,
            Address to,
            BigInteger units,
            long validAfter,
            long validBefore,
            byte[] nonce) {
        return """
                {"typedData": {"types": {%s,
                  "TransferWithAuthorization": [{"name": "from", "type": "address"}, {"name": "to", "type": "address"},
                    {"name": "value", "type": "uint256"}, {"name": "validAfter", "type": "uint256"},
                    {"name": "validBefore", "type": "uint256"}, {"name": "nonce", "type": "bytes32"}]},
                  "primaryType": "TransferWithAuthorization", "domain": %s,
                  "message": {"from": "%s", "to": "%s", "value": "%s", "validAfter": %d, "validBefore": %d,
                    "nonce": "%s"}}}""".formatted(
                        DOMAIN_TYPE,
                        domain,
                        from.toLowerHex(),
                        to.toLowerHex(),
                        units,
                        validAfter,
                        validBefore,
                        Hex.encode(nonce));
    }

    /** An EIP-2612 Permit of {@code units} for {@code spender}, with the owner's permit nonce and a deadline. */
    public static String permit(
            String domain, Address owner, Address spender, BigInteger units, BigInteger nonce, long deadline) {
        return """
                {"typedData": {"types": {%s,
                  "Permit": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"},
                    {"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"},
                    {"name": "deadline", "type": "uint256"}]},
                  "primaryType": "Permit", "domain": %s,
                  "message": {"owner": "%s", "spender": "%s", "value": "%s", "nonce": "%s", "deadline": %d}}}""".formatted(DOMAIN_TYPE, domain, owner.toLowerHex(), spender.toLowerHex(), units, nonce, deadline);
    }

    /** One Permit2 {@code PermitDetails}: an allowance of {@code units} of {@code token} until {@code expiration}. */
    public record Permit2Detail(Address token, BigInteger units, long expiration, long nonce) {
        String json() {
            return """
                    {"token": "%s", "amount": "%s", "expiration": %d, "nonce": %d}""".formatted(token.toLowerHex(), units, expiration, nonce);
        }
    }

    private static final String PERMIT2_TYPES = """
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"},
              {"name": "verifyingContract", "type": "address"}],
            "PermitDetails": [{"name": "token", "type": "address"}, {"name": "amount", "type": "uint160"},
              {"name": "expiration", "type": "uint48"}, {"name": "nonce", "type": "uint48"}]""";

    /** A Permit2 {@code PermitSingle} for {@code spender}, signed under Permit2's domain on {@code chainId}. */
    public static String permitSingle(
            long chainId, Address permit2, Permit2Detail detail, Address spender, long sigDeadline) {
        return """
                {"typedData": {"types": {%s,
                  "PermitSingle": [{"name": "details", "type": "PermitDetails"}, {"name": "spender", "type": "address"},
                    {"name": "sigDeadline", "type": "uint256"}]},
                  "primaryType": "PermitSingle",
                  "domain": {"name": "Permit2", "chainId": %d, "verifyingContract": "%s"},
                  "message": {"details": %s, "spender": "%s", "sigDeadline": %d}}}""".formatted(
                        PERMIT2_TYPES, chainId, permit2.toLowerHex(), detail.json(), spender.toLowerHex(), sigDeadline);
    }

    /** A Permit2 {@code PermitBatch} of {@code details} for {@code spender}. */
    public static String permitBatch(
            long chainId, Address permit2, List<Permit2Detail> details, Address spender, long sigDeadline) {
        return """
                {"typedData": {"types": {%s,
                  "PermitBatch": [{"name": "details", "type": "PermitDetails[]"}, {"name": "spender", "type": "address"},
                    {"name": "sigDeadline", "type": "uint256"}]},
                  "primaryType": "PermitBatch",
                  "domain": {"name": "Permit2", "chainId": %d, "verifyingContract": "%s"},
                  "message": {"details": [%s], "spender": "%s", "sigDeadline": %d}}}""".formatted(
                PERMIT2_TYPES,
                chainId,
                permit2.toLowerHex(),
                String.join(", ", details.stream().map(Permit2Detail::json).toList()),
                spender.toLowerHex(),
                sigDeadline);
    }

    /**
     * {@code transferWithAuthorization(from, to, value, validAfter, validBefore, nonce, v, r, s)} with the 65-byte
     * r||s||v signature Guardian returned.
     */
    public static byte[] transferWithAuthorizationCall(
            Address from, Address to, BigInteger units, long validAfter, long validBefore, byte[] nonce, byte[] rsv) {
        return encode(
                "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
                word(from),
                word(to),
                word(units),
                word(BigInteger.valueOf(validAfter)),
                word(BigInteger.valueOf(validBefore)),
                nonce,
                word(BigInteger.valueOf(rsv[64] & 0xff)),
                Arrays.copyOfRange(rsv, 0, 32),
                Arrays.copyOfRange(rsv, 32, 64));
    }

    /** {@code permit(owner, spender, value, deadline, v, r, s)}. */
    public static byte[] permitCall(Address owner, Address spender, BigInteger units, long deadline, byte[] rsv) {
        return encode(
                "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
                word(owner),
                word(spender),
                word(units),
                word(BigInteger.valueOf(deadline)),
                word(BigInteger.valueOf(rsv[64] & 0xff)),
                Arrays.copyOfRange(rsv, 0, 32),
                Arrays.copyOfRange(rsv, 32, 64));
    }

    /** {@code authorizationState(authorizer, nonce)}. */
    public static byte[] authorizationStateCall(Address authorizer, byte[] nonce) {
        return encode("authorizationState(address,bytes32)", word(authorizer), nonce);
    }

    public static byte[] word(Address address) {
        byte[] word = new byte[32];
        System.arraycopy(address.toBytes(), 0, word, 12, 20);
        return word;
    }

    public static byte[] word(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] word = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, word, 32 - length, length);
        return word;
    }

    /** A call of {@code signature} with static arguments, each already one 32-byte word. */
    public static byte[] encode(String signature, byte[]... words) {
        byte[] data = new byte[4 + 32 * words.length];
        System.arraycopy(Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII)), 0, data, 0, 4);
        for (int i = 0; i < words.length; i++) {
            System.arraycopy(words[i], 0, data, 4 + 32 * i, 32);
        }
        return data;
    }
}
