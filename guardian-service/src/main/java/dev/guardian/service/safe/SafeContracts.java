package dev.guardian.service.safe;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.service.chain.ChainAdapter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where the Safe 1.4.1 contracts a co-signed wallet is made of live on the chain Guardian works on: the
 * singleton every Safe proxy delegates to ({@code SafeL2}, which emits an event per transaction, as Safe
 * recommends on L2s), the proxy factory, the fallback handler a new Safe is set up with, and
 * {@code MultiSendCallOnly}, the one delegatecall target Guardian co-signs.
 *
 * <p>{@link #CANONICAL_1_4_1} is the canonical deployment (safe-global/safe-deployments, {@code src/assets/v1.4.1}:
 * {@code safe_l2.json}, {@code safe_proxy_factory.json}, {@code compatibility_fallback_handler.json},
 * {@code multi_send_call_only.json}), which those files list for Base (8453) and Base Sepolia (84532) and
 * which the profiles {@code base} and {@code base-sepolia} configure. Each {@link Role} carries the code hash
 * safe-deployments publishes for it; the npm package's artifacts, which the development chain deploys, have
 * the same runtime code, so {@link #codeMismatches} holds on Anvil as on Base.
 */
public record SafeContracts(
        Address singleton, Address proxyFactory, Address fallbackHandler, Address multiSendCallOnly) {

    /** Safe 1.4.1's canonical deployment, the same address on every chain that has it (Base among them). */
    public static final SafeContracts CANONICAL_1_4_1 = new SafeContracts(
            Address.parse("0x29fcB43b46531BcA003ddC8FCB67FFE91900C762"),
            Address.parse("0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67"),
            Address.parse("0xfd0732Dc9E303f09fCEf3a7388Ad10A83459Ec99"),
            Address.parse("0x9641d764fc13c8B624c04430C7356C1C7C8102e2"));

    /** The four contracts, their properties under {@code guardian.safe} and the code each must have. */
    public enum Role {
        SINGLETON("singleton", "SafeL2", "0xb1f926978a0f44a2c0ec8fe822418ae969bd8c3f18d61e5103100339894f81ff"),
        PROXY_FACTORY(
                "proxy-factory",
                "SafeProxyFactory",
                "0x50c3cdc4074750a7a974204a716c999edd37482f907608d960b2b025ee0b3317"),
        FALLBACK_HANDLER(
                "fallback-handler",
                "CompatibilityFallbackHandler",
                "0x7c6007a5d711cea8dfd5d91f5940ec29c7f200fe511eb1fc1397b367af3c42f9"),
        MULTI_SEND_CALL_ONLY(
                "multi-send-call-only",
                "MultiSendCallOnly",
                "0xecd5bd14a08c5d2122379900b2f272bdf107a7e92423c10dd5fe3254386c9939");

        private final String property;
        private final String contractName;
        private final byte[] codeHash;

        Role(String property, String contractName, String codeHash) {
            this.property = property;
            this.contractName = contractName;
            this.codeHash = Hex.decode(codeHash);
        }

        /** Its setting: {@code guardian.safe.<property>}. */
        public String property() {
            return "guardian.safe." + property;
        }

        /** The Safe 1.4.1 contract that plays it. */
        public String contractName() {
            return contractName;
        }

        /** keccak256 of the runtime code Safe 1.4.1 deploys for it, as safe-deployments publishes it. */
        public byte[] codeHash() {
            return codeHash.clone();
        }
    }

    public SafeContracts {
        Objects.requireNonNull(singleton, "singleton");
        Objects.requireNonNull(proxyFactory, "proxyFactory");
        Objects.requireNonNull(fallbackHandler, "fallbackHandler");
        Objects.requireNonNull(multiSendCallOnly, "multiSendCallOnly");
    }

    public Address address(Role role) {
        return switch (role) {
            case SINGLETON -> singleton;
            case PROXY_FACTORY -> proxyFactory;
            case FALLBACK_HANDLER -> fallbackHandler;
            case MULTI_SEND_CALL_ONLY -> multiSendCallOnly;
        };
    }

    /**
     * What is wrong with the code at the four addresses, one line per contract whose code is missing or is
     * not Safe 1.4.1's; empty when all four are right. A wrong singleton or handler would make every Safe
     * Guardian creates someone else's contract, so nothing should be created until this is empty.
     *
     * @throws dev.guardian.service.chain.ChainException if the chain cannot be read
     */
    public List<String> codeMismatches(ChainAdapter chain) {
        Objects.requireNonNull(chain, "chain");
        List<String> mismatches = new ArrayList<>();
        for (Role role : Role.values()) {
            Address at = address(role);
            byte[] code = chain.code(at);
            if (code.length == 0) {
                mismatches.add(role.property() + ": no contract at " + at + " on chain " + chain.chainId()
                        + " (expected Safe 1.4.1's " + role.contractName() + ")");
            } else if (!Arrays.equals(Keccak256.hash(code), role.codeHash)) {
                mismatches.add(role.property() + ": the code at " + at + " is not Safe 1.4.1's "
                        + role.contractName() + " (code hash " + Hex.encode(Keccak256.hash(code)) + ", expected "
                        + Hex.encode(role.codeHash) + ")");
            }
        }
        return mismatches;
    }
}
