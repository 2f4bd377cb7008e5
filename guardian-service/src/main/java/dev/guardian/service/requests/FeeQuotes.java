package dev.guardian.service.requests;

import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainContracts;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.FeeQuote;
import dev.guardian.service.chain.NextBlock;
import java.math.BigInteger;

/**
 * The gas a request will be signed with, quoted before it is judged so that the fee is judged too: the
 * gas estimate with 20% headroom (state may move before inclusion), the EIP-1559 fee caps of the next
 * block, and, on an OP Stack chain, the upper bound of the L1 data fee from its gas price oracle.
 */
public class FeeQuotes {
    /**
     * The most an unsigned EIP-1559 transaction's encoding adds to its calldata: the type byte, the list
     * header, chain id, nonce, two fee caps, gas limit, recipient, value and an empty access list, each at
     * its widest.
     */
    static final int UNSIGNED_OVERHEAD_BYTES = 160;

    private final ChainAdapter chain;
    private final ChainContracts contracts;

    FeeQuotes(ChainAdapter chain, ChainContracts contracts) {
        this.chain = chain;
        this.contracts = contracts;
    }

    /**
     * @throws dev.guardian.service.chain.SimulationRevertedException when the gas estimate reverts
     * @throws dev.guardian.service.chain.ChainUnavailableException when the chain cannot be asked
     */
    public JudgedFee quote(ContractCall call) {
        return quote(call, chain.nextBlock());
    }

    /** As {@link #quote(ContractCall)}, with fee caps for {@code next}. */
    public JudgedFee quote(ContractCall call, NextBlock next) {
        long gasLimit = Math.multiplyExact(chain.estimateGas(call), 6L) / 5;
        FeeQuote fees = chain.fees(next);
        BigInteger l1Fee = contracts
                .l1FeeOracle()
                .map(oracle -> chain.l1FeeUpperBound(oracle, UNSIGNED_OVERHEAD_BYTES + call.data().length))
                .orElse(BigInteger.ZERO);
        return new JudgedFee(gasLimit, fees.maxFeePerGasWei(), fees.maxPriorityFeePerGasWei(), l1Fee);
    }
}
