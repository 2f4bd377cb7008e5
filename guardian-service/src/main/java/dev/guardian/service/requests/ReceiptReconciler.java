package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.EffectComparison;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.effects.UnknownEvent;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.chain.TxReceipt;
import dev.guardian.service.sanctions.AddressScreen;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Compares what a mined transaction did with what was judged of it, three ways: its executed call tree
 * ({@code debug_traceTransaction}), decoded by the same decoder as the simulation, against the judged
 * effects ({@link EffectComparison}); every address it reached against the sanctions lists; and the
 * wallet's balances of the native asset and of every registered token between the block before and its
 * block against what the executed effects and the fee explain. A contract that behaved one way in the
 * simulation and another on chain, a state change between them, or a movement the decoder could not see
 * shows up as a difference.
 *
 * <p>The balance check is conservative where the block holds other transactions: token movements out of
 * the wallet by other transactions in the block (a spender using an allowance) are taken from their
 * {@code Transfer} logs; the native balance is checked only when this was the wallet's one transaction
 * in the block (an account without code loses ETH only through its own transactions).
 */
class ReceiptReconciler {
    /**
     * What the transaction did, and each way it went beyond its judgement. When its trace cannot be read,
     * {@code executed} is what was judged: it is charged at least that.
     */
    record Reconciled(List<EffectView> executed, List<String> differences) {
        Reconciled {
            executed = List.copyOf(executed);
            differences = List.copyOf(differences);
        }

        boolean diverged() {
            return !differences.isEmpty();
        }
    }

    private final ChainAdapter chain;
    private final AssetRegistry assets;
    private final AddressScreen sanctions;
    private final Function<WalletId, Optional<Address>> safeGuard;

    /**
     * @param safeGuard the guard of a Safe wallet (empty for a key wallet): a Safe transaction's executed trace is
     *     compared as the Safe sees it, as it was judged ({@link SafeRequests#asTheSafe})
     */
    ReceiptReconciler(
            ChainAdapter chain,
            AssetRegistry assets,
            AddressScreen sanctions,
            Function<WalletId, Optional<Address>> safeGuard) {
        this.safeGuard = Objects.requireNonNull(safeGuard, "safeGuard");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.assets = Objects.requireNonNull(assets, "assets");
        this.sanctions = Objects.requireNonNull(sanctions, "sanctions");
    }

    /**
     * Reconciles the successful receipt of {@code request}'s transaction, sent from {@code wallet}.
     *
     * @throws dev.guardian.service.chain.ChainException when the chain cannot be read; nothing is decided
     */
    Reconciled reconcile(StoredRequest request, Address wallet, TxReceipt receipt) {
        SimulatedEffects judged = new SimulatedEffects(
                request.effects().stream().map(e -> e.toEffect(assets)).toList(), Set.of());
        Simulation executed = chain.executed(receipt.hash());
        if (request.requestKind() == RequestKind.SAFE_TRANSACTION) {
            Optional<Address> guard = safeGuard.apply(request.walletId());
            if (guard.isPresent()) {
                executed = SafeRequests.asTheSafe(executed, wallet, guard.get());
            }
        }
        List<String> differences = new ArrayList<>();
        SimulatedEffects actual;
        switch (executed) {
            case Simulation.Succeeded succeeded -> actual = succeeded.effects();
            case Simulation.Reverted reverted -> {
                // What really happened is unknown: it is charged at least what was judged (never released),
                // and the balances say whether more left.
                differences.add("the receipt says the transaction succeeded but its trace says it reverted ("
                        + reverted.reason() + ")");
                differences.addAll(balanceDifferences(wallet, receipt, judged));
                return new Reconciled(request.effects(), differences);
            }
            case Simulation.Undecodable undecodable -> {
                differences.add("what the mined transaction did cannot be decoded: " + undecodable.reason());
                differences.addAll(balanceDifferences(wallet, receipt, judged));
                return new Reconciled(request.effects(), differences);
            }
        }
        for (EffectComparison.Difference difference : EffectComparison.beyond(judged, actual)) {
            differences.add(difference.what());
        }
        ScreeningResult screening = sanctions.screen(screened(request, wallet, actual));
        for (Address hit : screening.hits()) {
            differences.add("the transaction reached " + hit + ", which is on a sanctions list ("
                    + screening.listVersion() + ")");
        }
        differences.addAll(balanceDifferences(wallet, receipt, actual));
        return new Reconciled(actual.effects().stream().map(EffectView::of).toList(), differences);
    }

    /**
     * The addresses whose screening the mined transaction must pass: every address it touched, except, for a
     * treasury revocation, the spenders whose allowance of the wallet it set to zero. Taking an allowance
     * away from a sanctioned spender is what a revocation is for; it reaches the spender only in name.
     */
    private static Set<Address> screened(StoredRequest request, Address wallet, SimulatedEffects actual) {
        if (RequestKind.of(request.kind()) != RequestKind.TREASURY_REVOKE) {
            return actual.touched();
        }
        Set<Address> screened = new LinkedHashSet<>(actual.touched());
        Set<Address> stillReached = new LinkedHashSet<>();
        Set<Address> revoked = new LinkedHashSet<>();
        for (Effect effect : actual.effects()) {
            switch (effect) {
                case Approval a when a.owner().equals(wallet) && a.revokes() -> revoked.add(a.spender());
                case Approval a -> stillReached.add(a.spender());
                case Transfer t -> {
                    stillReached.add(t.from());
                    stillReached.add(t.to());
                }
                case UnknownEvent u -> stillReached.add(u.emitter());
            }
        }
        revoked.removeAll(stillReached);
        revoked.remove(wallet);
        screened.removeAll(revoked);
        return screened;
    }

    private List<String> balanceDifferences(Address wallet, TxReceipt receipt, SimulatedEffects actual) {
        long block = receipt.blockNumber();
        if (block == 0) {
            return List.of();
        }
        List<String> differences = new ArrayList<>();
        Set<Asset> checked = new LinkedHashSet<>();
        boolean onlyTransaction = chain.nonceAt(wallet, block) - chain.nonceAt(wallet, block - 1) == 1;
        if (onlyTransaction) {
            checked.add(assets.nativeAsset());
        }
        checked.addAll(assets.tokens());
        for (Asset asset : checked) {
            BigInteger before = chain.balanceAt(asset, wallet, block - 1).units();
            BigInteger after = chain.balanceAt(asset, wallet, block).units();
            BigInteger fell = before.subtract(after);
            BigInteger explained = netOutflow(actual, wallet, asset);
            if (asset instanceof Asset.Native) {
                explained = explained.add(receipt.feeWei());
            } else if (asset instanceof Asset.Erc20 token) {
                // Movements out of the wallet by other transactions in the block (a spender using an allowance)
                // are not this one's; wallet reconciliation answers for them.
                for (ChainAdapter.LoggedTransfer other : chain.transfersFrom(token.contract(), wallet, block)) {
                    if (!other.transaction().equals(receipt.hash())) {
                        explained = explained.add(other.units());
                    }
                }
            }
            if (fell.compareTo(explained) > 0) {
                differences.add("the wallet's " + asset.symbol() + " balance changed by " + signed(asset, fell.negate())
                        + " in block " + block + "; what the transaction did explains "
                        + signed(asset, explained.negate()));
            }
        }
        return differences;
    }

    private static String signed(Asset asset, BigInteger units) {
        return (units.signum() < 0 ? "-" : "+") + new TokenAmount(asset, units.abs());
    }

    /** What {@code actual} took out of {@code wallet} in {@code asset}, less what it brought in. */
    private static BigInteger netOutflow(SimulatedEffects actual, Address wallet, Asset asset) {
        BigInteger net = BigInteger.ZERO;
        for (Effect effect : actual.effects()) {
            if (effect instanceof Transfer t && t.amount().asset().equals(asset)) {
                if (t.from().equals(wallet)) {
                    net = net.add(t.amount().units());
                }
                if (t.to().equals(wallet)) {
                    net = net.subtract(t.amount().units());
                }
            }
        }
        return net;
    }
}
