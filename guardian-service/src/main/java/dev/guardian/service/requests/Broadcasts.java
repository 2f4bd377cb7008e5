package dev.guardian.service.requests;

import java.util.Locale;

/**
 * Reads a node's refusal of a raw transaction. Nodes word these differently (geth, reth, Anvil), so
 * only well-established phrases are recognised; anything else is treated as a plain refusal. Only the
 * good news is read: "already known" is as good as accepted. Bad news ("nonce too low", "insufficient
 * funds") never settles a request, because one node's word is not the chain's: only a receipt, or the
 * confirmed nonce passing the transaction's, does.
 */
final class Broadcasts {
    private Broadcasts() {}

    /** The node already has this very transaction: as good as accepted. */
    static boolean alreadyKnown(String refusal) {
        String text = lower(refusal);
        return text.contains("already known")
                || text.contains("known transaction")
                || text.contains("already imported");
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }
}
