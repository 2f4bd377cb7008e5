package dev.guardian.service.requests;

import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.NextBlock;
import dev.guardian.service.chain.SigningFields;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.chain.SimulationRevertedException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Simulates a request as it will be signed: the gas limit and fee caps it is judged and signed with, the
 * nonce it is expected to take, against the next block. Every path that judges a transaction simulates
 * through here (a new request, a dry run, an approval's re-check), so none of them can judge a call under
 * conditions a contract could tell apart from the real ones (a zero gas price, a 30 M gas cap, the latest
 * block's number and base fee).
 */
public class ExactSimulation {
    /** What will be signed and what it would do. An empty fee: the call reverts already when estimated. */
    public record Result(Simulation simulation, Optional<JudgedFee> fee) {}

    private final ChainAdapter chain;
    private final FeeQuotes fees;
    private final RequestStore store;

    ExactSimulation(ChainAdapter chain, FeeQuotes fees, RequestStore store) {
        this.chain = chain;
        this.fees = fees;
        this.store = store;
    }

    /**
     * Quotes the gas for {@code call} and simulates it with that gas: for a request being decided.
     *
     * @throws dev.guardian.service.chain.ChainUnavailableException when the chain cannot be asked
     */
    public Result quoteAndSimulate(ContractCall call) {
        NextBlock next = chain.nextBlock();
        JudgedFee fee;
        try {
            fee = fees.quote(call, next);
        } catch (SimulationRevertedException e) {
            // The gas estimate reverts: the call does not succeed, and the estimate says why.
            return new Result(new Simulation.Reverted(e.getMessage()), Optional.empty());
        }
        return new Result(
                chain.simulate(call, fields(fee, store.storedNextNonce(call.from())), next), Optional.of(fee));
    }

    /** A call whose fields depend on its own fee, as shaped, and what it would do. */
    public record Shaped(ContractCall call, Result result) {}

    /**
     * Quotes the gas for {@code probe}, lets {@code shape} build the exact call from that fee, and simulates
     * the shaped call with it, against the same next block: for a sweep of the native coin, whose value is
     * what the wallet holds less the most its own fee can cost. The shaped call must cost the same gas as the
     * probe (the same recipient and data; only the value differs). Empty when {@code shape} declines (nothing
     * would be left to send); a probe whose estimate reverts is simulated no further.
     *
     * @throws dev.guardian.service.chain.ChainUnavailableException when the chain cannot be asked
     */
    public Optional<Shaped> quoteAndSimulate(ContractCall probe, Function<JudgedFee, Optional<ContractCall>> shape) {
        NextBlock next = chain.nextBlock();
        JudgedFee fee;
        try {
            fee = fees.quote(probe, next);
        } catch (SimulationRevertedException e) {
            return Optional.of(
                    new Shaped(probe, new Result(new Simulation.Reverted(e.getMessage()), Optional.empty())));
        }
        return shape.apply(fee)
                .map(call -> new Shaped(
                        call,
                        new Result(
                                chain.simulate(call, fields(fee, store.storedNextNonce(call.from())), next),
                                Optional.of(fee))));
    }

    /** Simulates {@code call} with the gas it was judged with: for a re-check before signing. */
    public Simulation simulate(ContractCall call, JudgedFee fee) {
        return chain.simulate(call, fields(fee, store.storedNextNonce(call.from())), chain.nextBlock());
    }

    /** Simulates {@code call} with {@code fee} at a known {@code nonce}: for a replacement of a signed transaction. */
    public Simulation simulate(ContractCall call, JudgedFee fee, long nonce) {
        return chain.simulate(call, fields(fee, OptionalLong.of(nonce)), chain.nextBlock());
    }

    private static SigningFields fields(JudgedFee fee, OptionalLong nonce) {
        return new SigningFields(fee.gasLimit(), fee.maxFeePerGasWei(), fee.maxPriorityFeePerGasWei(), nonce);
    }
}
