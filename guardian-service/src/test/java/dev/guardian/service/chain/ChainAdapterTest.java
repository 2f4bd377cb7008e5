package dev.guardian.service.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.effects.UnknownEvent;
import dev.guardian.policy.rules.ContractEntry;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.TestWallet;
import dev.guardian.signer.SignedTransaction;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.protocol.Web3j;

/** The adapter against a real Anvil: simulation, quotes, submission and receipts. */
@ExtendWith(AnvilExtension.class)
class ChainAdapterTest {
    private static final Asset.Native ETH = Asset.ether();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static Asset.Erc20 usdc;
    private static Address router;
    private static Address blocked;
    private static TestWallet wallet;
    private static ChainAdapter chain;

    @BeforeAll
    static void setUp(DevChain dev, Web3j web3j) {
        Address token = dev.deployTestUsdc();
        usdc = DevChain.usdcAsset(token);
        router = dev.deployPaymentRouter();
        blocked = TestAddresses.fresh();
        dev.blacklist(token, blocked);
        wallet = TestWallet.generate();
        dev.setEthBalance(wallet.address(), ether(10));
        dev.mintUsdc(token, wallet.address(), usdc(1_000_000_000));
        chain = new ChainAdapter(
                web3j, new ChainId(31337), new AssetRegistry(ETH, List.of(usdc)), ChainResilienceSettings.defaults());
    }

    @Test
    void acceptsTheChainItIsConfiguredFor() {
        chain.verifyChainId();
    }

    @Test
    void refusesToWorkOnAnotherChain(Web3j web3j) {
        ChainAdapter base = new ChainAdapter(
                web3j, new ChainId(8453), new AssetRegistry(ETH, List.of()), ChainResilienceSettings.defaults());

        assertThatThrownBy(base::verifyChainId)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("serves chain id 31337")
                .hasMessageContaining("configured for chain id 8453");
    }

    @Test
    void simulatesAUsdcTransferAsExactlyOneTransfer() {
        Address payee = TestAddresses.fresh();

        Simulation simulation = chain.simulate(call(usdc.contract(), Calldata.transfer(payee, usdc(12_500_000))));

        SimulatedEffects effects = succeeded(simulation).effects();
        assertThat(effects.effects()).containsExactly(new Transfer(usdc(12_500_000), wallet.address(), payee));
        assertThat(effects.touched()).containsExactlyInAnyOrder(wallet.address(), usdc.contract(), payee);
    }

    @Test
    void seesPaymentsMadeThroughTheRouterAsTransfersFromTheWallet() {
        TxReceipt approval = wallet.send(chain, call(usdc.contract(), Calldata.approve(router, usdc(10_000_000))));
        assertThat(approval.succeeded()).isTrue();
        Address alice = TestAddresses.fresh();
        Address bob = TestAddresses.fresh();

        ContractCall payMany = call(
                router,
                Calldata.payMany(usdc.contract(), List.of(alice, bob), List.of(usdc(1_000_000), usdc(2_500_000))));
        SimulatedEffects effects = succeeded(chain.simulate(payMany)).effects();

        assertThat(payMany.to()).isEqualTo(router);
        // The router pulls with transferFrom (its operator), and its own Paid event is not one the decoder knows.
        assertThat(effects.effects())
                .containsExactly(
                        new Transfer(usdc(1_000_000), wallet.address(), alice, Optional.of(router)),
                        new Transfer(usdc(2_500_000), wallet.address(), bob, Optional.of(router)),
                        new UnknownEvent(router, ContractEntry.eventTopic("Paid(address,address,uint256,uint256)"), 1));
        assertThat(effects.touched()).contains(router, usdc.contract(), alice, bob);
        assertThat(effects.outgoingTotals(wallet.address())).containsEntry(usdc, usdc(3_500_000));
    }

    @Test
    void simulatesATransferToABlacklistedAddressAsRevertedWithTheTokensReason() {
        Simulation simulation = chain.simulate(call(usdc.contract(), Calldata.transfer(blocked, usdc(1_000_000))));

        assertThat(simulation).isEqualTo(new Simulation.Reverted("Blacklistable: account is blacklisted"));
    }

    @Test
    void simulatesAnEthPaymentAsANativeTransfer() {
        Address payee = TestAddresses.fresh();

        Simulation simulation = chain.simulate(new ContractCall(wallet.address(), payee, ether(1), new byte[0]));

        assertThat(succeeded(simulation).effects().effects())
                .containsExactly(new Transfer(ether(1), wallet.address(), payee));
        assertThat(succeeded(simulation).gasUsed()).isEqualTo(21_000);
    }

    @Test
    void simulatesAnApproveAsAnApproval() {
        Address spender = TestAddresses.fresh();

        Simulation simulation = chain.simulate(call(usdc.contract(), Calldata.approve(spender, usdc(7_000_000))));

        assertThat(succeeded(simulation).effects().effects())
                .containsExactly(new Approval(usdc(7_000_000), wallet.address(), spender));
    }

    @Test
    void simulatesSendingMoreEthThanTheWalletHoldsAsReverted() {
        Simulation simulation = chain.simulate(
                new ContractCall(wallet.address(), TestAddresses.fresh(), ether(1_000_000), new byte[0]));

        assertThat(simulation)
                .isInstanceOfSatisfying(
                        Simulation.Reverted.class,
                        reverted -> assertThat(reverted.reason()).containsIgnoringCase("insufficient funds"));
    }

    @Test
    void estimatesGasOfACallThatWouldSucceed() {
        long gas = chain.estimateGas(call(usdc.contract(), Calldata.transfer(TestAddresses.fresh(), usdc(1))));

        assertThat(gas).isBetween(30_000L, 100_000L);
    }

    @Test
    void estimateGasOfACallThatWouldRevertThrowsWithTheDecodedReason() {
        assertThatThrownBy(() -> chain.estimateGas(call(usdc.contract(), Calldata.transfer(blocked, usdc(1)))))
                .isInstanceOfSatisfying(
                        SimulationRevertedException.class,
                        e -> assertThat(e.reason()).isEqualTo("Blacklistable: account is blacklisted"));
    }

    @Test
    void quotesEip1559FeesAsTwiceTheBaseFeePlusTheTip() {
        FeeQuote fees = chain.fees();

        BigInteger tip = fees.maxPriorityFeePerGasWei();
        BigInteger baseFee = fees.maxFeePerGasWei().subtract(tip).shiftRight(1);
        assertThat(tip.signum()).isPositive();
        assertThat(baseFee.signum()).isPositive();
        assertThat(fees.maxFeePerGasWei()).isEqualTo(baseFee.shiftLeft(1).add(tip));
    }

    @Test
    void sendsATransactionSignedByTheSignerAndReportsItsReceipt() {
        Address payee = TestAddresses.fresh();
        long nonceBefore = chain.pendingNonce(wallet.address());
        SignedTransaction signed = wallet.sign(chain, call(usdc.contract(), Calldata.transfer(payee, usdc(4_000_000))));

        TxHash hash = chain.sendRawTransaction(signed.raw());
        TxReceipt receipt = TestWallet.awaitReceipt(chain, hash);

        assertThat(hash).isEqualTo(signed.hash());
        assertThat(receipt.succeeded()).isTrue();
        assertThat(receipt.gasUsed()).isGreaterThan(21_000);
        assertThat(receipt.blockNumber()).isPositive();
        assertThat(chain.pendingNonce(wallet.address())).isEqualTo(nonceBefore + 1);
        assertThat(chain.balance(usdc, payee)).isEqualTo(usdc(4_000_000));
    }

    @Test
    void reportsATransactionTheNodeRefusesAsRejectedWithTheNodesMessage() {
        long usedNonce = chain.pendingNonce(wallet.address());
        wallet.send(chain, new ContractCall(wallet.address(), TestAddresses.fresh(), ether(0), new byte[0]));
        SignedTransaction stale = wallet.sign(
                chain, new ContractCall(wallet.address(), TestAddresses.fresh(), ether(0), new byte[0]), usedNonce);

        assertThatThrownBy(() -> chain.sendRawTransaction(stale.raw()))
                .isInstanceOf(TransactionRejectedException.class)
                .hasMessageContainingAll("nonce", "low");
    }

    @Test
    void reportsAMinedTransactionThatRevertedAsNotSucceeded() {
        ContractCall reverting = call(usdc.contract(), Calldata.transfer(blocked, usdc(1)));
        // Signed with an explicit gas limit: estimating would refuse a call that reverts.
        SignedTransaction signed = wallet.sign(chain, reverting, chain.pendingNonce(wallet.address()), 100_000);

        TxReceipt receipt = TestWallet.awaitReceipt(chain, chain.sendRawTransaction(signed.raw()));

        assertThat(receipt.succeeded()).isFalse();
        assertThat(receipt.hash()).isEqualTo(signed.hash());
    }

    @Test
    void knowsNoReceiptForATransactionNeverSent() {
        assertThat(chain.receipt(TxHash.of(randomBytes(32)))).isEmpty();
    }

    @Test
    void readsNativeAndTokenBalances() {
        Address holder = TestAddresses.fresh();
        assertThat(chain.balance(ETH, holder)).isEqualTo(TokenAmount.zero(ETH));
        assertThat(chain.balance(usdc, holder)).isEqualTo(usdc(0));
        assertThat(chain.balance(ETH, wallet.address()).units()).isPositive();
    }

    @Test
    void refusesToReadATokenBalanceFromSomethingThatIsNotAToken() {
        Address notAContract = TestAddresses.fresh();

        assertThatThrownBy(() -> chain.balance(new Asset.UnknownToken(notAContract), wallet.address()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ERC-20 token contract");
    }

    private static ContractCall call(Address to, byte[] data) {
        return new ContractCall(wallet.address(), to, TokenAmount.zero(ETH), data);
    }

    private static Simulation.Succeeded succeeded(Simulation simulation) {
        assertThat(simulation).isInstanceOf(Simulation.Succeeded.class);
        return (Simulation.Succeeded) simulation;
    }

    private static TokenAmount usdc(long units) {
        return TokenAmount.ofUnits(usdc, units);
    }

    private static TokenAmount ether(long whole) {
        return new TokenAmount(ETH, BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(whole)));
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
