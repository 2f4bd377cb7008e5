package dev.guardian.service.testsupport;

import dev.guardian.policy.Address;
import dev.guardian.policy.TxHash;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.FeeQuote;
import dev.guardian.service.chain.TxReceipt;
import dev.guardian.signer.Eip1559Transaction;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.SignedTransaction;
import dev.guardian.signer.TransactionSigner;
import java.time.Duration;
import java.util.Optional;

/**
 * A wallet whose key is generated in a throwaway {@link KeyVault}, signing the way Guardian does: nonce,
 * fees and gas from the {@link ChainAdapter}, an EIP-1559 transaction signed by the signer module.
 */
public final class TestWallet {
    private final TransactionSigner signer;

    private TestWallet(TransactionSigner signer) {
        this.signer = signer;
    }

    public static TestWallet generate() {
        KeyVault vault = new KeyVault(KeyEncryptionKey.generate());
        return new TestWallet(vault.signerFor(vault.generate()));
    }

    public Address address() {
        return signer.address();
    }

    /** Signs {@code call} (which must be from this wallet) with the next pending nonce, current fees and estimated gas plus 20 %. */
    public SignedTransaction sign(ChainAdapter chain, ContractCall call) {
        return sign(chain, call, chain.pendingNonce(address()));
    }

    public SignedTransaction sign(ChainAdapter chain, ContractCall call, long nonce) {
        return sign(chain, call, nonce, chain.estimateGas(call) * 6 / 5);
    }

    /** Signs without estimating gas: the way to get a transaction that reverts on chain. */
    public SignedTransaction sign(ChainAdapter chain, ContractCall call, long nonce, long gas) {
        if (!call.from().equals(address())) {
            throw new IllegalArgumentException("the call is from " + call.from() + ", not this wallet " + address());
        }
        FeeQuote fees = chain.fees();
        return signer.sign(new Eip1559Transaction(
                chain.chainId(),
                nonce,
                fees.maxPriorityFeePerGasWei(),
                fees.maxFeePerGasWei(),
                gas,
                call.to(),
                call.value(),
                call.data()));
    }

    /** Signs, sends and waits for the receipt. */
    public TxReceipt send(ChainAdapter chain, ContractCall call) {
        return awaitReceipt(chain, chain.sendRawTransaction(sign(chain, call).raw()));
    }

    /** Polls for a receipt; Anvil mines at once, so this takes milliseconds. */
    public static TxReceipt awaitReceipt(ChainAdapter chain, TxHash hash) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TxReceipt> receipt = chain.receipt(hash);
            if (receipt.isPresent()) {
                return receipt.get();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + hash, e);
            }
        }
        throw new IllegalStateException("no receipt for " + hash + " within 10 s");
    }
}
