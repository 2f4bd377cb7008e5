package dev.guardian.service.devchain;

import dev.guardian.contracts.PaymentRouter;
import dev.guardian.contracts.SanctionsOracleMock;
import dev.guardian.contracts.TestUsdc;
import dev.guardian.contracts.attacks.TwoFacedMerchant;
import dev.guardian.contracts.safe.CompatibilityFallbackHandler;
import dev.guardian.contracts.safe.GuardianSafeGuard;
import dev.guardian.contracts.safe.GuardianSafeGuardSetup;
import dev.guardian.contracts.safe.MultiSendCallOnly;
import dev.guardian.contracts.safe.SafeL2;
import dev.guardian.contracts.safe.SafeProxyFactory;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.service.chain.HexQuantity;
import dev.guardian.service.chain.JsonRpcChannel;
import dev.guardian.service.chain.TxReceipt;
import dev.guardian.service.safe.SafeContracts;
import dev.guardian.service.safe.SafeGuardContracts;
import dev.guardian.service.safe.SafeSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.tx.ClientTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import tools.jackson.databind.JsonNode;

/**
 * Sets up state on a local Anvil without any private key in Guardian's code: transactions come from
 * Anvil's unlocked dev accounts ({@code eth_sendTransaction}) or from impersonated addresses
 * ({@code anvil_impersonateAccount}), balances are set with {@code anvil_setBalance}. Every method waits
 * until its transaction is mined and throws {@link IllegalStateException} if it reverted.
 *
 * <p>Only for Anvil: {@link #attach} refuses a node without unlocked accounts.
 */
public final class DevChain {
    /** Anvil automines each transaction at once; a receipt shows up within milliseconds, so poll often. */
    private static final long RECEIPT_POLL_MILLIS = 10;

    private static final int RECEIPT_POLL_ATTEMPTS = 3_000;
    private static final BigInteger GAS_LIMIT = BigInteger.valueOf(5_000_000);
    // Safe's singleton is close to the contract size limit; deploying its ~22 KB costs about 5 M gas.
    private static final BigInteger SAFE_DEPLOY_GAS_LIMIT = BigInteger.valueOf(10_000_000);
    // Generous caps: a dev chain's base fee is about 1 gwei, and only base fee + tip is charged.
    private static final BigInteger MAX_FEE_PER_GAS = BigInteger.valueOf(100_000_000_000L);
    private static final BigInteger PRIORITY_FEE_PER_GAS = BigInteger.valueOf(1_000_000_000L);

    private final Web3j web3j;
    private final JsonRpcChannel rpc;
    private final long chainId;
    private final List<Address> devAccounts;
    private final ContractGasProvider gasProvider;

    private DevChain(Web3j web3j, long chainId, List<Address> devAccounts) {
        this.web3j = web3j;
        this.rpc = new JsonRpcChannel(web3j);
        this.chainId = chainId;
        this.devAccounts = devAccounts;
        this.gasProvider = new StaticEIP1559GasProvider(chainId, MAX_FEE_PER_GAS, PRIORITY_FEE_PER_GAS, GAS_LIMIT);
    }

    public static DevChain attach(Web3j web3j) {
        Objects.requireNonNull(web3j, "web3j");
        JsonRpcChannel rpc = new JsonRpcChannel(web3j);
        long chainId =
                quantity(call(rpc, "eth_chainId", List.of()), "eth_chainId").longValueExact();
        JsonNode accounts = call(rpc, "eth_accounts", List.of());
        if (accounts == null || !accounts.isArray() || accounts.isEmpty()) {
            throw new IllegalStateException("the node has no unlocked dev accounts; DevChain works on Anvil only");
        }
        List<Address> devAccounts = accounts.values().stream()
                .map(a -> Address.parseLenient(a.stringValue()))
                .toList();
        return new DevChain(web3j, chainId, devAccounts);
    }

    /** Dev account 0: deploys the test contracts and so owns the test USDC (mints, blacklists). */
    public Address owner() {
        return devAccounts.getFirst();
    }

    /** Anvil's unlocked accounts (ten by default, 10,000 ETH each at start). */
    public List<Address> devAccounts() {
        return devAccounts;
    }

    public long chainId() {
        return chainId;
    }

    public Address deployTestUsdc() {
        return Address.parseLenient(
                sendContract(TestUsdc.deploy(web3j, transactionsFrom(owner()), gasProvider), "deploy TestUsdc")
                        .getContractAddress());
    }

    public Address deployPaymentRouter() {
        return Address.parseLenient(sendContract(
                        PaymentRouter.deploy(web3j, transactionsFrom(owner()), gasProvider), "deploy PaymentRouter")
                .getContractAddress());
    }

    /**
     * Deploys GuardianSafeGuard (one guard for every Safe of the chain) and GuardianSafeGuardSetup, which a new
     * Safe DELEGATECALLs from its setup to install and configure it (contracts/src/safe), from dev account 0.
     */
    public SafeGuardContracts deploySafeGuard() {
        Address guard = Address.parseLenient(sendContract(
                        GuardianSafeGuard.deploy(web3j, transactionsFrom(owner()), gasProvider),
                        "deploy GuardianSafeGuard")
                .getContractAddress());
        Address setup = Address.parseLenient(sendContract(
                        GuardianSafeGuardSetup.deploy(web3j, transactionsFrom(owner()), gasProvider, guard.toString()),
                        "deploy GuardianSafeGuardSetup")
                .getContractAddress());
        return new SafeGuardContracts(guard, setup);
    }

    /** TwoFacedMerchant (contracts/src/attacks): refunds in a simulation, keeps the money on chain. */
    public Address deployTwoFacedMerchant(Address simulator) {
        return Address.parseLenient(sendContract(
                        TwoFacedMerchant.deploy(web3j, transactionsFrom(owner()), gasProvider, simulator.toString()),
                        "deploy TwoFacedMerchant")
                .getContractAddress());
    }

    /** A sanctions oracle with Chainalysis' interface ({@code isSanctioned(address)}), owned by dev account 0. */
    public Address deploySanctionsOracle() {
        return Address.parseLenient(sendContract(
                        SanctionsOracleMock.deploy(web3j, transactionsFrom(owner()), gasProvider),
                        "deploy SanctionsOracleMock")
                .getContractAddress());
    }

    /**
     * Deploys the four Safe 1.4.1 contracts of a co-signed wallet from dev account 0: the SafeL2 singleton,
     * the proxy factory, the compatibility fallback handler and MultiSendCallOnly, each from the creation
     * code the npm package ships (so their runtime code is the canonical deployments').
     */
    public SafeContracts deploySafeContracts() {
        return new SafeContracts(
                deploy(SafeL2.BINARY, SAFE_DEPLOY_GAS_LIMIT),
                deploy(SafeProxyFactory.BINARY, SAFE_DEPLOY_GAS_LIMIT),
                deploy(CompatibilityFallbackHandler.BINARY, SAFE_DEPLOY_GAS_LIMIT),
                deploy(MultiSendCallOnly.BINARY, SAFE_DEPLOY_GAS_LIMIT));
    }

    /**
     * Creates a Safe proxy through the factory's {@code createProxyWithNonce} (sent by dev account 0, which
     * becomes nothing of the Safe) and returns its address, as the factory's {@code ProxyCreation} event
     * names it. The same initializer and salt nonce cannot be used twice: CREATE2 would collide.
     */
    public Address createSafe(SafeContracts contracts, SafeSetup.Initializer initializer, BigInteger saltNonce) {
        TxReceipt receipt = sendFromDevAccount(
                contracts.proxyFactory(),
                SafeSetup.createProxyWithNonceData(contracts.singleton(), initializer, saltNonce));
        JsonNode logs = call(
                        rpc, "eth_getTransactionReceipt", List.of(receipt.hash().toString()))
                .get("logs");
        for (JsonNode log : logs) {
            JsonNode topics = log.get("topics");
            if (Address.parseLenient(log.get("address").stringValue()).equals(contracts.proxyFactory())
                    && topics.size() == 2
                    && topics.get(0).stringValue().equalsIgnoreCase(SafeSetup.PROXY_CREATION_TOPIC)) {
                byte[] word = Hex.decode(topics.get(1).stringValue());
                return Address.of(Arrays.copyOfRange(word, 12, 32));
            }
        }
        throw new IllegalStateException("createProxyWithNonce " + receipt.hash() + " emitted no ProxyCreation");
    }

    /**
     * {@code eth_signTypedData_v4} by one of {@link #devAccounts()}: a wallet nobody here wrote signs the typed
     * data (the JSON of {@code eth_signTypedData_v4}), as an agent holding its own key would. Returns the 65
     * bytes {@code r || s || v}.
     */
    public byte[] signTypedDataAs(Address devAccount, Map<String, Object> typedDataJson) {
        return Hex.decode(call(rpc, "eth_signTypedData_v4", List.of(devAccount.toLowerHex(), typedDataJson))
                .stringValue());
    }

    /** {@code eth_sign} (EIP-191 personal message of {@code message}) by one of {@link #devAccounts()}. */
    public byte[] ethSignAs(Address devAccount, byte[] message) {
        return Hex.decode(call(rpc, "eth_sign", List.of(devAccount.toLowerHex(), Hex.encode(message)))
                .stringValue());
    }

    /** Lists addresses on the oracle at {@code oracle} ({@code addToSanctionsList}, as its owner). */
    public void addToSanctionsOracle(Address oracle, Address... addresses) {
        sendContract(
                sanctionsOracle(oracle).addToSanctionsList(hexList(addresses)),
                "list " + List.of(addresses) + " on the oracle");
    }

    /** Delists addresses from the oracle at {@code oracle} ({@code removeFromSanctionsList}, as its owner). */
    public void removeFromSanctionsOracle(Address oracle, Address... addresses) {
        sendContract(
                sanctionsOracle(oracle).removeFromSanctionsList(hexList(addresses)),
                "delist " + List.of(addresses) + " from the oracle");
    }

    /** The test USDC at {@code token}, as an asset (6 decimals, symbol USDC). */
    public static Asset.Erc20 usdcAsset(Address token) {
        return new Asset.Erc20(token, "USDC", 6);
    }

    public void mintUsdc(Address token, Address to, TokenAmount amount) {
        requireToken(token, amount);
        sendContract(usdc(token).mint(to.toString(), amount.units()), "mint " + amount + " to " + to);
    }

    public void blacklist(Address token, Address who) {
        sendContract(usdc(token).blacklist(who.toString()), "blacklist " + who);
    }

    public void unBlacklist(Address token, Address who) {
        sendContract(usdc(token).unBlacklist(who.toString()), "unblacklist " + who);
    }

    /** Sets an address's ETH balance outright ({@code anvil_setBalance}); funds wallets whose keys only the vault holds. */
    public void setEthBalance(Address who, TokenAmount wei) {
        if (!(wei.asset() instanceof Asset.Native)) {
            throw new IllegalArgumentException(
                    "an ETH balance is in the native asset, not " + wei.asset().symbol());
        }
        call(
                rpc,
                "anvil_setBalance",
                List.of(who.toLowerHex(), "0x" + wei.units().toString(16)));
    }

    public TokenAmount usdcBalance(Address token, Address holder) {
        try {
            return new TokenAmount(
                    usdcAsset(token), usdc(token).balanceOf(holder.toString()).send());
        } catch (Exception e) {
            throw new IllegalStateException("balanceOf " + holder + " on " + token + " failed: " + e.getMessage(), e);
        }
    }

    public TokenAmount ethBalance(Address holder) {
        return new TokenAmount(
                Asset.ether(),
                quantity(call(rpc, "eth_getBalance", List.of(holder.toLowerHex(), "latest")), "eth_getBalance"));
    }

    /** Sends {@code data} from dev account 0 to {@code to} and waits for it to be mined. */
    public TxReceipt sendFromDevAccount(Address to, byte[] data) {
        return send(owner(), to, TokenAmount.zero(Asset.ether()), data);
    }

    /** Sends from one of {@link #devAccounts()} (or an address currently impersonated) and waits for the receipt. */
    public TxReceipt send(Address from, Address to, TokenAmount value, byte[] data) {
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put("from", from.toLowerHex());
        tx.put("to", to.toLowerHex());
        tx.put("value", "0x" + value.units().toString(16));
        tx.put("data", Hex.encode(data));
        TxHash hash = TxHash.parse(call(rpc, "eth_sendTransaction", List.of(tx)).stringValue());
        TxReceipt receipt = awaitReceipt(hash);
        if (!receipt.succeeded()) {
            throw new IllegalStateException("transaction " + hash + " from " + from + " to " + to + " reverted");
        }
        return receipt;
    }

    /**
     * Sends as any address, key or no key ({@code anvil_impersonateAccount}): e.g. an agent wallet approving
     * the payment router before a test asks Guardian to pay through it. The address needs ETH for gas.
     */
    public TxReceipt sendAs(Address from, Address to, byte[] data) {
        return sendAs(from, to, TokenAmount.zero(Asset.ether()), data);
    }

    /** As {@link #sendAs(Address, Address, byte[])}, sending {@code value} (ETH) too. */
    public TxReceipt sendAs(Address from, Address to, TokenAmount value, byte[] data) {
        call(rpc, "anvil_impersonateAccount", List.of(from.toLowerHex()));
        try {
            return send(from, to, value, data);
        } finally {
            call(rpc, "anvil_stopImpersonatingAccount", List.of(from.toLowerHex()));
        }
    }

    /** Waits for a transaction's receipt (any sender), polling quickly. */
    public TxReceipt awaitReceipt(TxHash hash) {
        for (int attempt = 0; attempt < RECEIPT_POLL_ATTEMPTS; attempt++) {
            JsonNode receipt = call(rpc, "eth_getTransactionReceipt", List.of(hash.toString()));
            if (receipt != null) {
                return new TxReceipt(
                        hash,
                        quantity(receipt.get("status"), "status").equals(BigInteger.ONE),
                        quantity(receipt.get("blockNumber"), "blockNumber").longValueExact(),
                        quantity(receipt.get("gasUsed"), "gasUsed").longValueExact(),
                        quantity(receipt.get("gasUsed"), "gasUsed")
                                .multiply(quantity(receipt.get("effectiveGasPrice"), "effectiveGasPrice")));
            }
            sleep(RECEIPT_POLL_MILLIS);
        }
        throw new IllegalStateException(
                "no receipt for " + hash + " after " + RECEIPT_POLL_ATTEMPTS * RECEIPT_POLL_MILLIS + " ms");
    }

    /** Deploys contract creation code (a generated wrapper's {@code BINARY}) from dev account 0. */
    public Address deploy(String creationCode) {
        return deploy(creationCode, GAS_LIMIT);
    }

    private Address deploy(String creationCode, BigInteger gasLimit) {
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put("from", owner().toLowerHex());
        tx.put("data", creationCode.startsWith("0x") ? creationCode : "0x" + creationCode);
        tx.put("gas", "0x" + gasLimit.toString(16));
        TxHash hash = TxHash.parse(call(rpc, "eth_sendTransaction", List.of(tx)).stringValue());
        if (!awaitReceipt(hash).succeeded()) {
            throw new IllegalStateException("deployment " + hash + " reverted (out of its " + gasLimit + " gas?)");
        }
        JsonNode receipt = call(rpc, "eth_getTransactionReceipt", List.of(hash.toString()));
        JsonNode created = receipt.get("contractAddress");
        if (created == null || !created.isString()) {
            throw new IllegalStateException("deployment " + hash + " created no contract");
        }
        return Address.parseLenient(created.stringValue());
    }

    /**
     * Sends from a dev account (or an impersonated address) without waiting for it to be mined: for tests
     * that order transactions themselves with {@link #setAutomine} off. {@code tipWei} is its priority
     * fee; Anvil orders a block's transactions by it.
     */
    public TxHash sendWithoutWaiting(Address from, Address to, byte[] data, BigInteger tipWei) {
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put("from", from.toLowerHex());
        tx.put("to", to.toLowerHex());
        tx.put("data", Hex.encode(data));
        tx.put("gas", "0x" + BigInteger.valueOf(500_000).toString(16));
        tx.put("maxPriorityFeePerGas", "0x" + tipWei.toString(16));
        tx.put("maxFeePerGas", "0x" + MAX_FEE_PER_GAS.max(tipWei).toString(16));
        return TxHash.parse(call(rpc, "eth_sendTransaction", List.of(tx)).stringValue());
    }

    /** Whether Anvil mines each transaction as it arrives ({@code evm_setAutomine}). */
    public void setAutomine(boolean automine) {
        call(rpc, "evm_setAutomine", List.of(automine));
    }

    /** Sets the base fee of the next block ({@code anvil_setNextBlockBaseFeePerGas}): a fee spike on demand. */
    public void setNextBlockBaseFee(BigInteger wei) {
        call(rpc, "anvil_setNextBlockBaseFeePerGas", List.of("0x" + wei.toString(16)));
    }

    /** Mines one block of whatever is pending ({@code evm_mine}). */
    public void mine() {
        call(rpc, "evm_mine", List.of());
    }

    /**
     * Gives the next block the time {@code epochSeconds} ({@code evm_setNextBlockTimestamp}): later than the
     * latest block's, earlier or later than the wall clock. The blocks after it keep counting from there.
     */
    public void setNextBlockTimestamp(long epochSeconds) {
        call(rpc, "evm_setNextBlockTimestamp", List.of(epochSeconds));
    }

    /** The code at {@code address} ({@code eth_getCode}, latest block); empty for an account without code. */
    public byte[] code(Address address) {
        return Hex.decode(call(rpc, "eth_getCode", List.of(address.toLowerHex(), "latest"))
                .stringValue());
    }

    /**
     * Puts {@code code} at {@code address} ({@code anvil_setCode}): a predeploy such as Base's gas price
     * oracle, or an EIP-7702 delegation designator ({@code 0xef0100} and the delegate's address).
     */
    public void setCode(Address address, byte[] code) {
        call(rpc, "anvil_setCode", List.of(address.toLowerHex(), Hex.encode(code)));
    }

    /** Saves the chain's whole state ({@code evm_snapshot}); {@link #revertTo} brings it back. */
    public String snapshot() {
        return call(rpc, "evm_snapshot", List.of()).stringValue();
    }

    /** Restores a {@link #snapshot()}; the snapshot is used up (take a new one to go back again). */
    public void revertTo(String snapshotId) {
        JsonNode reverted = call(rpc, "evm_revert", List.of(snapshotId));
        if (reverted == null || !reverted.asBoolean()) {
            throw new IllegalStateException("evm_revert to snapshot " + snapshotId + " failed");
        }
    }

    private TestUsdc usdc(Address token) {
        return TestUsdc.load(token.toString(), web3j, transactionsFrom(owner()), gasProvider);
    }

    private SanctionsOracleMock sanctionsOracle(Address oracle) {
        return SanctionsOracleMock.load(oracle.toString(), web3j, transactionsFrom(owner()), gasProvider);
    }

    private static List<String> hexList(Address... addresses) {
        return Arrays.stream(addresses).map(Address::toString).toList();
    }

    private TransactionManager transactionsFrom(Address account) {
        return new ClientTransactionManager(
                web3j,
                account.toString(),
                new PollingTransactionReceiptProcessor(web3j, RECEIPT_POLL_MILLIS, RECEIPT_POLL_ATTEMPTS));
    }

    /** Sends through a generated wrapper; its receipt processor throws when the transaction reverted. */
    private static <T> T sendContract(RemoteCall<T> remoteCall, String what) {
        try {
            return remoteCall.send();
        } catch (Exception e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        }
    }

    private static void requireToken(Address token, TokenAmount amount) {
        if (!(amount.asset() instanceof Asset.Erc20 erc20) || !erc20.contract().equals(token)) {
            throw new IllegalArgumentException(
                    "the amount is in " + amount.asset().symbol() + ", not the token at " + token);
        }
    }

    private static JsonNode call(JsonRpcChannel rpc, String method, List<?> params) {
        JsonRpcChannel.Answer answer;
        try {
            answer = rpc.send(method, params);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " failed: " + e.getMessage(), e);
        }
        if (answer.failed()) {
            throw new IllegalStateException(method + " failed: "
                    + answer.error().getMessage()
                    + (answer.error().getData() != null ? " (" + answer.error().getData() + ")" : ""));
        }
        return answer.result();
    }

    private static BigInteger quantity(JsonNode value, String what) {
        return HexQuantity.parse(value != null && value.isString() ? value.stringValue() : null)
                .orElseThrow(() -> new IllegalStateException(what + " is not a hex quantity: " + value));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a receipt", e);
        }
    }
}
