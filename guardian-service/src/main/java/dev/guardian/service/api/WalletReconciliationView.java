package dev.guardian.service.api;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.service.reconciliation.ExternalOutflow;
import dev.guardian.service.reconciliation.WalletCheckpoint;
import java.util.List;
import java.util.Optional;

/**
 * How far a wallet is reconciled with the chain, and what left it outside Guardian (newest first). Fields
 * that do not apply are left out; before the first pass the checkpoint fields are absent.
 */
record WalletReconciliationView(
        String agentId,
        String walletId,
        String address,
        boolean agentFrozen,
        Long startedAtBlock,
        Long reconciledToBlock,
        String reconciledAt,
        Long nonce,
        int unexplained,
        List<Outflow> outflows) {

    record Outflow(
            String id,
            String kind,
            boolean explained,
            long blockNumber,
            Long afterBlock,
            String txHash,
            Long logIndex,
            Long nonce,
            String asset,
            String amount,
            String units,
            String covered,
            String charged,
            String to,
            String spender,
            String description,
            String detectedAt) {
        static Outflow of(ExternalOutflow o) {
            return new Outflow(
                    o.id().toString(),
                    o.kind().name(),
                    o.explained(),
                    o.block(),
                    o.fromBlock().orElse(null),
                    o.txHash().map(TxHash::toString).orElse(null),
                    o.logIndex().orElse(null),
                    o.nonce().orElse(null),
                    o.amount().map(a -> a.asset().symbol()).orElse(null),
                    o.amount().map(TokenAmount::toDecimalString).orElse(null),
                    o.amount().map(a -> a.units().toString()).orElse(null),
                    o.covered().map(TokenAmount::toDecimalString).orElse(null),
                    o.unexplained().map(TokenAmount::toDecimalString).orElse(null),
                    o.recipient().map(Address::toString).orElse(null),
                    o.spender().map(Address::toString).orElse(null),
                    o.description(),
                    o.detectedAt().toString());
        }
    }

    static WalletReconciliationView of(
            String agentId,
            boolean frozen,
            String walletId,
            Address address,
            Optional<WalletCheckpoint> checkpoint,
            int unexplained,
            List<ExternalOutflow> outflows) {
        return new WalletReconciliationView(
                agentId,
                walletId,
                address.toString(),
                frozen,
                checkpoint.map(WalletCheckpoint::startedBlock).orElse(null),
                checkpoint.map(WalletCheckpoint::block).orElse(null),
                checkpoint.map(c -> c.reconciledAt().toString()).orElse(null),
                checkpoint.map(WalletCheckpoint::nonce).orElse(null),
                unexplained,
                outflows.stream().map(Outflow::of).toList());
    }
}
