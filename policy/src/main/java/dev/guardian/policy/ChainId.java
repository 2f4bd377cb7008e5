package dev.guardian.policy;

/** An EIP-155 chain id, e.g. 8453 for Base, 84532 for Base Sepolia, 31337 for a local Anvil. */
public record ChainId(long value) {
    public ChainId {
        if (value <= 0) {
            throw new IllegalArgumentException("a chain id is a positive number");
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
