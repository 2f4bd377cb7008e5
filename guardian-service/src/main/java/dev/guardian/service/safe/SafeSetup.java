package dev.guardian.service.safe;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.chain.ContractCall;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Creating a Safe: the {@code setup} call that initialises a new proxy (owners, threshold, an optional
 * delegatecall made during setup, e.g. to install a guard, and the fallback handler), the factory's
 * {@code createProxyWithNonce} that deploys and initialises it in one transaction, and the address it will
 * have, which CREATE2 fixes in advance from the factory, the singleton, the initializer and the salt nonce.
 * No refund is paid at setup ({@code paymentToken}, {@code payment}, {@code paymentReceiver} are zero).
 */
public final class SafeSetup {
    /** topic0 of the factory's {@code ProxyCreation(address indexed proxy, address singleton)}. */
    public static final String PROXY_CREATION_TOPIC =
            Hex.encode(Keccak256.hash("ProxyCreation(address,address)".getBytes(StandardCharsets.US_ASCII)));

    /** Safe's linked-list sentinel, which can never be an owner. */
    private static final Address SENTINEL = Address.parse("0x0000000000000000000000000000000000000001");

    private static final byte[] SETUP =
            Abi.selector("setup(address[],uint256,address,bytes,address,address,uint256,address)");
    private static final byte[] CREATE_PROXY_WITH_NONCE = Abi.selector("createProxyWithNonce(address,bytes,uint256)");
    private static final byte[] PROXY_CREATION_CODE = Abi.selector("proxyCreationCode()");

    private SafeSetup() {}

    /**
     * A new Safe's configuration, checked as Safe's {@code setupOwners} checks it (GS200-GS204), so a Safe
     * that would fail to set up is refused before a transaction is spent on it.
     *
     * @param owners          in the order {@code getOwners()} will not keep (Safe lists them newest first)
     * @param delegateCall    an optional contract the new Safe delegatecalls with {@code delegateCallData}
     *                        during setup (it runs as the Safe: e.g. to set its guard)
     * @param fallbackHandler the handler the Safe forwards unknown calls to (ERC-1271, token callbacks)
     */
    public record Initializer(
            List<Address> owners,
            int threshold,
            Optional<Address> delegateCall,
            byte[] delegateCallData,
            Address fallbackHandler) {
        public Initializer {
            owners = List.copyOf(owners);
            Objects.requireNonNull(delegateCall, "delegateCall");
            Objects.requireNonNull(delegateCallData, "delegateCallData");
            Objects.requireNonNull(fallbackHandler, "fallbackHandler");
            if (owners.isEmpty()) {
                throw new IllegalArgumentException("owners: a Safe has at least one owner");
            }
            Set<Address> seen = new HashSet<>();
            for (Address owner : owners) {
                if (owner.equals(Address.ZERO) || owner.equals(SENTINEL)) {
                    throw new IllegalArgumentException("owners: " + owner + " cannot be a Safe owner (GS203)");
                }
                if (!seen.add(owner)) {
                    throw new IllegalArgumentException("owners: " + owner + " is listed twice (GS204)");
                }
            }
            if (threshold < 1 || threshold > owners.size()) {
                throw new IllegalArgumentException("threshold: " + threshold + " is not between 1 and the "
                        + owners.size() + " owners (GS201/GS202)");
            }
            if (delegateCall.isEmpty() && delegateCallData.length > 0) {
                throw new IllegalArgumentException("delegateCallData: given without a contract to delegatecall");
            }
            delegateCallData = delegateCallData.clone();
        }

        /** Owners and threshold, no setup call. */
        public static Initializer of(List<Address> owners, int threshold, Address fallbackHandler) {
            return new Initializer(owners, threshold, Optional.empty(), new byte[0], fallbackHandler);
        }

        @Override
        public byte[] delegateCallData() {
            return delegateCallData.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Initializer that
                    && owners.equals(that.owners)
                    && threshold == that.threshold
                    && delegateCall.equals(that.delegateCall)
                    && Arrays.equals(delegateCallData, that.delegateCallData)
                    && fallbackHandler.equals(that.fallbackHandler);
        }

        @Override
        public int hashCode() {
            return Objects.hash(owners, threshold, delegateCall, Arrays.hashCode(delegateCallData), fallbackHandler);
        }

        @Override
        public String toString() {
            return "Initializer[owners=" + owners + ", threshold=" + threshold + ", delegateCall=" + delegateCall
                    + ", delegateCallData=" + delegateCallData.length + " bytes, fallbackHandler=" + fallbackHandler
                    + "]";
        }
    }

    /** Calldata of the singleton's {@code setup(...)}: the {@code initializer} the factory calls the new proxy with. */
    public static byte[] setupData(Initializer initializer) {
        Objects.requireNonNull(initializer, "initializer");
        return Abi.call(
                SETUP,
                new Abi.AddressArray(initializer.owners()),
                Abi.uint(initializer.threshold()),
                Abi.address(initializer.delegateCall().orElse(Address.ZERO)),
                new Abi.DynamicBytes(initializer.delegateCallData()),
                Abi.address(initializer.fallbackHandler()),
                Abi.address(Address.ZERO),
                Abi.uint(BigInteger.ZERO),
                Abi.address(Address.ZERO));
    }

    /** Calldata of the factory's {@code createProxyWithNonce(singleton, setupData, saltNonce)}. */
    public static byte[] createProxyWithNonceData(Address singleton, Initializer initializer, BigInteger saltNonce) {
        Objects.requireNonNull(singleton, "singleton");
        return Abi.call(
                CREATE_PROXY_WITH_NONCE,
                Abi.address(singleton),
                new Abi.DynamicBytes(setupData(initializer)),
                Abi.uint(saltNonce));
    }

    /** The transaction that creates the Safe with {@code contracts}' singleton through their factory, sent by {@code from}. */
    public static ContractCall createProxyWithNonce(
            Address from, SafeContracts contracts, Initializer initializer, BigInteger saltNonce) {
        return new ContractCall(
                from,
                contracts.proxyFactory(),
                TokenAmount.zero(Asset.ether()),
                createProxyWithNonceData(contracts.singleton(), initializer, saltNonce));
    }

    /** Calldata of the factory's {@code proxyCreationCode()}, answered with the proxy's creation code as ABI {@code bytes}. */
    public static byte[] proxyCreationCodeData() {
        return PROXY_CREATION_CODE.clone();
    }

    /** The creation code out of the factory's answer to {@link #proxyCreationCodeData()}. */
    public static byte[] decodeProxyCreationCode(byte[] answer) {
        return Abi.decodeBytes(answer);
    }

    /**
     * The address {@code createProxyWithNonce} will deploy the Safe at, as Safe 1.4.1's factory computes it:
     * CREATE2 by the factory with salt {@code keccak256(keccak256(setupData) || saltNonce)} and init code
     * {@code proxyCreationCode || uint256(singleton)}. The same inputs always give the same Safe, and a second
     * creation with them reverts, so the salt nonce is what tells two Safes of the same owners apart.
     */
    public static Address predictAddress(
            Address factory,
            Address singleton,
            Initializer initializer,
            BigInteger saltNonce,
            byte[] proxyCreationCode) {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(proxyCreationCode, "proxyCreationCode");
        byte[] saltPreimage = new byte[64];
        System.arraycopy(Keccak256.hash(setupData(initializer)), 0, saltPreimage, 0, 32);
        System.arraycopy(Abi.uint(saltNonce).word(), 0, saltPreimage, 32, 32);
        byte[] salt = Keccak256.hash(saltPreimage);
        byte[] initCode = new byte[proxyCreationCode.length + 32];
        System.arraycopy(proxyCreationCode, 0, initCode, 0, proxyCreationCode.length);
        System.arraycopy(Abi.address(singleton).word(), 0, initCode, proxyCreationCode.length, 32);
        byte[] preimage = new byte[1 + 20 + 32 + 32];
        preimage[0] = (byte) 0xff;
        System.arraycopy(factory.toBytes(), 0, preimage, 1, 20);
        System.arraycopy(salt, 0, preimage, 21, 32);
        System.arraycopy(Keccak256.hash(initCode), 0, preimage, 53, 32);
        byte[] hash = Keccak256.hash(preimage);
        return Address.of(Arrays.copyOfRange(hash, 12, 32));
    }
}
