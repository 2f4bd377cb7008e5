package dev.guardian.policy.rules;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.math.BigInteger;
import java.util.Objects;

/**
 * What a transaction may cost in gas, as it would be signed: the gas limit, the most it pays per unit of
 * gas, and the L1 data fee of a rollup such as Base (zero elsewhere). The most it can cost is
 * {@code gasLimit x maxFeePerGas + l1Fee}: what is reserved against fee budgets before it is sent,
 * whether it succeeds or reverts.
 */
public record TransactionFee(long gasLimit, BigInteger maxFeePerGasWei, BigInteger l1FeeWei) {
    public TransactionFee {
        Objects.requireNonNull(maxFeePerGasWei, "maxFeePerGasWei");
        Objects.requireNonNull(l1FeeWei, "l1FeeWei");
        if (gasLimit <= 0 || maxFeePerGasWei.signum() < 0 || l1FeeWei.signum() < 0) {
            throw new IllegalArgumentException("a fee has a positive gas limit and no negative price");
        }
    }

    /** The most this transaction can cost, in the native coin. */
    public TokenAmount maxCost(Asset.Native coin) {
        return new TokenAmount(
                coin, maxFeePerGasWei.multiply(BigInteger.valueOf(gasLimit)).add(l1FeeWei));
    }
}
