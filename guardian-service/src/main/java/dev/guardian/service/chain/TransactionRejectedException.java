package dev.guardian.service.chain;

/**
 * The node answered {@code eth_sendRawTransaction} with an error: the transaction was not accepted
 * (nonce too low, insufficient funds, fee too low, already known, ...). The message is the node's own.
 */
public class TransactionRejectedException extends ChainException {
    private final int rpcErrorCode;

    TransactionRejectedException(String nodeMessage, int rpcErrorCode) {
        super(nodeMessage, null);
        this.rpcErrorCode = rpcErrorCode;
    }

    /** The JSON-RPC error code the node gave (e.g. -32000, -32003); nodes differ, so match on the message with care. */
    public int rpcErrorCode() {
        return rpcErrorCode;
    }
}
