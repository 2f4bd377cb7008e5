package dev.guardian.service.agents;

/**
 * What controls a wallet's money: a key Guardian holds alone ({@link #KEY}), or a Safe that needs the agent's
 * own signature and Guardian's co-signature, with a guard on chain ({@link #SAFE}). Both are judged by the
 * same pipeline; only building, signing and sending differ (docs/safe-wallets.md).
 */
public enum WalletKind {
    /** A custodial key: Guardian signs and sends the wallet's transactions alone. */
    KEY,
    /** A Safe 1.4.1: the agent signs each Safe transaction, Guardian co-signs after its checks, the relayer sends. */
    SAFE
}
