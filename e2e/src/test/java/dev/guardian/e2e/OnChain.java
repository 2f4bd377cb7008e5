package dev.guardian.e2e;

import dev.guardian.contracts.TestUsdc;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.WalletFunding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The chain as the scenarios see it: a test USDC deployed on the class's Anvil, and everything read
 * straight from the node with Web3j, never through Guardian, so that an assertion on a balance or a
 * nonce is evidence of what really happened rather than of what Guardian says happened.
 */
final class OnChain {
    private final DevChain dev;
    private final Web3j web3j;
    private final Address usdc;

    private OnChain(DevChain dev, Web3j web3j, Address usdc) {
        this.dev = dev;
        this.web3j = web3j;
        this.usdc = usdc;
    }

    /** Deploys a fresh test USDC on the extension's Anvil. */
    static OnChain withFreshUsdc(AnvilExtension chain) {
        return new OnChain(chain.devChain(), chain.web3j(), chain.devChain().deployTestUsdc());
    }

    Address usdcAddress() {
        return usdc;
    }

    DevChain dev() {
        return dev;
    }

    TokenAmount usdc(String decimal) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), decimal);
    }

    TokenAmount usdcBalance(Address holder) {
        return dev.usdcBalance(usdc, holder);
    }

    /**
     * Asks Guardian for the agent's wallet address (Guardian generated its key) and funds it as a treasury
     * would: {@code usdc} of the token and 1 ETH for gas.
     */
    Address fundWallet(AgentClient agent, String usdcAmount) {
        return WalletFunding.fundWallet(dev, agent, usdc(usdcAmount), TokenAmount.parse(Asset.ether(), "1"));
    }

    /** {@code eth_getTransactionCount(address, pending)}: how many transactions the address has ever sent, mined or pooled. */
    long transactionCount(Address address) {
        try {
            return web3j.ethGetTransactionCount(address.toLowerHex(), DefaultBlockParameterName.PENDING)
                    .send()
                    .getTransactionCount()
                    .longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long blockNumber() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mined receipt of {@code txHash}; fails the test if the node does not know it. */
    TransactionReceipt receipt(String txHash) {
        try {
            return web3j.ethGetTransactionReceipt(txHash)
                    .send()
                    .getTransactionReceipt()
                    .orElseThrow(() -> new AssertionError("the chain has no receipt for " + txHash));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A view function's single uint256 (or bool, or address) answer, read with {@code eth_call} at the latest block. */
    BigInteger callUint(Address contract, byte[] data) {
        try {
            String answer = web3j.ethCall(
                            Transaction.createEthCallTransaction(null, contract.toString(), Hex.encode(data)),
                            DefaultBlockParameterName.LATEST)
                    .send()
                    .getValue();
            return new BigInteger(1, Hex.decode(answer));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TokenAmount ethBalance(Address holder) {
        return dev.ethBalance(holder);
    }

    /** Gives {@code owner} a claim of {@code amount} in {@code vault} (a ClaimVault), paid by dev account 0. */
    void depositClaim(Address vault, Address owner, TokenAmount amount) {
        dev.mintUsdc(usdc, dev.owner(), amount);
        dev.sendFromDevAccount(usdc, Calldata.approve(vault, amount));
        dev.sendFromDevAccount(vault, Calldata.call("depositFor", owner, usdc, amount));
    }

    TokenAmount usdcAllowance(Address owner, Address spender) {
        TestUsdc token = TestUsdc.load(
                usdc.toString(),
                web3j,
                new ReadonlyTransactionManager(web3j, owner.toString()),
                new DefaultGasProvider());
        try {
            BigInteger units =
                    token.allowance(owner.toString(), spender.toString()).send();
            return new TokenAmount(DevChain.usdcAsset(usdc), units);
        } catch (Exception e) {
            throw new IllegalStateException("allowance(" + owner + ", " + spender + ") failed: " + e.getMessage(), e);
        }
    }
}
