package dev.guardian.service.reconciliation;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.TxHash;
import dev.guardian.service.audit.AuditEvent;
import java.util.Optional;
import java.util.UUID;

/** What the audit log records of wallet reconciliation: each external outflow nothing Guardian judged explains. */
final class ReconciliationEvents {
    private ReconciliationEvents() {}

    /**
     * Tokens left the wallet in a transaction Guardian did not sign, beyond any allowance exposure it judged
     * for the spender ({@code covered}); {@code charged} was posted against the agent's budgets.
     */
    @AuditEvent.Name("wallet-transfer-unexplained")
    record UnexplainedTransfer(
            AgentId agent,
            Address wallet,
            UUID outflow,
            TxHash txHash,
            long logIndex,
            long block,
            String asset,
            String amount,
            String units,
            Address to,
            Optional<Address> spender,
            String covered,
            String charged,
            String description)
            implements AuditEvent.AboutAgent, AuditEvent.AboutWallet, AuditEvent.AboutTransaction {}

    /** A nonce of the wallet was used, in blocks {@code (fromBlock, toBlock]}, by a transaction Guardian did not sign. */
    @AuditEvent.Name("wallet-nonce-unexplained")
    record UnexplainedNonce(
            AgentId agent, Address wallet, UUID outflow, long nonce, long fromBlock, long toBlock, String description)
            implements AuditEvent.AboutAgent, AuditEvent.AboutWallet {}

    /**
     * The wallet's balance of {@code asset} fell by {@code fell} in blocks {@code (fromBlock, toBlock]}, of which
     * Guardian's transactions and the chain's logs explain {@code explainedBy}; the rest was charged.
     */
    @AuditEvent.Name("wallet-balance-unexplained")
    record UnexplainedBalance(
            AgentId agent,
            Address wallet,
            UUID outflow,
            String asset,
            String fell,
            String explainedBy,
            String charged,
            String chargedUnits,
            long fromBlock,
            long toBlock,
            String description)
            implements AuditEvent.AboutAgent, AuditEvent.AboutWallet {}
}
