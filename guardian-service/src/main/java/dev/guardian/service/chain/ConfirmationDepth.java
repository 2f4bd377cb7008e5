package dev.guardian.service.chain;

/**
 * How many blocks behind the latest one Guardian takes the chain's word as settled
 * ({@code guardian.chain.confirmation-depth}): the <em>safe head</em> is that many blocks below the latest. What
 * frees a budget on the strength of the chain's state (an unused authorization voided because no block can use
 * it any more, or because Guardian's cancellation was mined) is read at the safe head, since a reorganisation
 * above it can replace the blocks that showed it with blocks that use the authorization after all. What only
 * charges a budget (an authorization seen used) is taken at the latest block: counting too early is the safe
 * side.
 */
public record ConfirmationDepth(int blocks) {
    public ConfirmationDepth {
        if (blocks < 0) {
            throw new IllegalArgumentException("guardian.chain.confirmation-depth is at least 0, was " + blocks);
        }
    }

    /** The safe head's number when the latest block is {@code latest}: never below the genesis block. */
    public long safeBlock(long latest) {
        return Math.max(0, latest - blocks);
    }
}
