package dev.guardian.service.requests;

import java.util.Locale;

/**
 * Reads a node's refusal of a raw transaction. Nodes word these differently (geth, reth, Anvil), so
 * only well-established phrases are recognised; anything else is treated as a plain refusal.
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

    /** The nonce is used by a mined transaction: this one can never be mined. */
    static boolean nonceUsed(String refusal) {
        String text = lower(refusal);
        return text.contains("nonce too low") || text.contains("nonce has already been used");
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }
}
