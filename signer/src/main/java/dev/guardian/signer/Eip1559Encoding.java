package dev.guardian.signer;

import dev.guardian.policy.Hex;
import java.math.BigInteger;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;

/**
 * The EIP-1559 byte layouts, delegated to web3j's RLP transaction encoder: the signing payload
 * {@code 0x02 || rlp([chainId, nonce, maxPriorityFee, maxFee, gasLimit, to, value, data, accessList])}
 * and the signed envelope, which appends {@code yParity, r, s}. Only web3j's encoding is used here;
 * keys never pass through web3j.
 */
final class Eip1559Encoding {
    // web3j's type-2 encoder converts v back to the y-parity with Sign.getRecId, which reads 27/28
    // (or EIP-155 values) but rejects a bare 0/1; so the recovery id goes in as 27 + id.
    private static final int LEGACY_V_OFFSET = 27;

    private Eip1559Encoding() {}

    static byte[] signingPayload(Eip1559Transaction tx) {
        return TransactionEncoder.encode(toWeb3j(tx));
    }

    static byte[] signedEnvelope(Eip1559Transaction tx, Signature signature) {
        Sign.SignatureData signatureData =
                new Sign.SignatureData((byte) (LEGACY_V_OFFSET + signature.recoveryId()), signature.r(), signature.s());
        return TransactionEncoder.encode(toWeb3j(tx), signatureData);
    }

    private static RawTransaction toWeb3j(Eip1559Transaction tx) {
        return RawTransaction.createTransaction(
                tx.chainId().value(),
                BigInteger.valueOf(tx.nonce()),
                BigInteger.valueOf(tx.gasLimit()),
                tx.to().toLowerHex(),
                tx.value().units(),
                Hex.encode(tx.data()),
                tx.maxPriorityFeePerGasWei(),
                tx.maxFeePerGasWei());
    }
}
