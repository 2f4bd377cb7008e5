package dev.guardian.service.safe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.contracts.safe.SafeL2;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainRequestFailedException;
import dev.guardian.service.chain.ChainResilienceSettings;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.signatures.TypedDataJson;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.TransactionSigner;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.web3j.protocol.Web3j;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The real Safe 1.4.1 contracts (the npm package's artifacts) on a real Anvil, against Guardian's Java: the
 * deployed code is the canonical deployments' code, the SafeTx hash Java computes is the one the Safe
 * computes, the Safe takes exactly the signatures {@link SafeSignatures} encodes (and refuses the ones it
 * must), a third account executes a transaction the agent and Guardian signed, with or without a cover
 * behind the signatures, and money moves only then. The agent signs with Anvil's own
 * {@code eth_signTypedData_v4}, a wallet nobody here wrote.
 */
@ExtendWith({AnvilExtension.class, OutputCaptureExtension.class})
class SafeContractsOnAnvilTest {
    private static final Asset.Native ETH = Asset.ether();

    private static DevChain chain;
    private static Web3j web3j;
    private static ChainAdapter adapter;
    private static ChainId chainId;
    private static SafeContracts contracts;
    private static Asset.Erc20 usdc;
    /** The agent holds its own key: an Anvil dev account, which signs through Anvil. */
    private static Address agent;

    private static Address treasury;
    /** Pays the gas of execTransaction and is no owner. */
    private static Address relayer;
    /** Guardian's co-signing key, in the signer module's vault. */
    private static TransactionSigner guardian;

    private static TransactionSigner stranger;
    private static Address safe;

    @BeforeAll
    static void createTwoOfThreeSafe(DevChain devChain, Web3j client) {
        chain = devChain;
        web3j = client;
        chainId = new ChainId(chain.chainId());
        contracts = chain.deploySafeContracts();
        usdc = DevChain.usdcAsset(chain.deployTestUsdc());
        adapter = new ChainAdapter(
                web3j, chainId, new AssetRegistry(ETH, List.of(usdc)), ChainResilienceSettings.defaults());
        agent = chain.devAccounts().get(1);
        treasury = chain.devAccounts().get(2);
        relayer = chain.devAccounts().get(3);
        KeyVault vault = new KeyVault(KeyEncryptionKey.generate());
        guardian = vault.signerFor(vault.generate());
        stranger = vault.signerFor(vault.generate());
        safe = chain.createSafe(
                contracts,
                SafeSetup.Initializer.of(List.of(agent, guardian.address(), treasury), 2, contracts.fallbackHandler()),
                BigInteger.ONE);
        chain.mintUsdc(usdc.contract(), safe, usdc(1_000_000_000));
    }

    @Test
    void deployedContractsCarrySafe141sCanonicalCode() {
        assertThat(contracts.codeMismatches(adapter)).isEmpty();

        SafeContracts swapped = new SafeContracts(
                contracts.proxyFactory(),
                contracts.proxyFactory(),
                TestAddresses.fresh(),
                contracts.multiSendCallOnly());
        assertThat(swapped.codeMismatches(adapter))
                .hasSize(2)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("guardian.safe.singleton: the code at " + contracts.proxyFactory())
                        .contains("is not Safe 1.4.1's SafeL2")
                        .contains("expected 0xb1f926978a0f44a2c0ec8fe822418ae969bd8c3f18d61e5103100339894f81ff"))
                .anySatisfy(line -> assertThat(line)
                        .startsWith("guardian.safe.fallback-handler: no contract at")
                        .contains("CompatibilityFallbackHandler"));
    }

    @Test
    void theCheckAtStartLogsAnErrorPerWrongContractAndNothingForTheRightOnes(CapturedOutput output) {
        new SafeConfiguration.SafeCodeCheck(SafeDeployment.of(contracts), adapter).compareCode();
        assertThat(output.getOut()).doesNotContain("Safe wallets must not be created");

        SafeContracts wrongHandler = new SafeContracts(
                contracts.singleton(), contracts.proxyFactory(), contracts.singleton(), contracts.multiSendCallOnly());
        new SafeConfiguration.SafeCodeCheck(SafeDeployment.of(wrongHandler), adapter).compareCode();
        assertThat(output.getOut())
                .contains("Safe wallets must not be created: guardian.safe.fallback-handler: the code at "
                        + contracts.singleton() + " is not Safe 1.4.1's CompatibilityFallbackHandler")
                .doesNotContain("guardian.safe.singleton:");
    }

    @Test
    void theSafeIsSetUpAsAskedAtTheAddressJavaPredicts() throws Exception {
        SafeL2 wrapper = readOnly(safe);

        assertThat(wrapper.VERSION().send()).isEqualTo("1.4.1");
        assertThat(wrapper.getThreshold().send()).isEqualTo(BigInteger.TWO);
        List<?> owners = wrapper.getOwners().send();
        assertThat(owners.stream().map(owner -> Address.parseLenient(String.valueOf(owner))))
                .containsExactlyInAnyOrder(agent, guardian.address(), treasury);
        assertThat(nonce()).isNotNegative();

        byte[] creationCode = SafeSetup.decodeProxyCreationCode(
                adapter.callLatest(contracts.proxyFactory(), SafeSetup.proxyCreationCodeData(), 64));
        SafeSetup.Initializer initializer =
                SafeSetup.Initializer.of(List.of(agent, guardian.address(), treasury), 2, contracts.fallbackHandler());
        assertThat(SafeSetup.predictAddress(
                        contracts.proxyFactory(), contracts.singleton(), initializer, BigInteger.ONE, creationCode))
                .isEqualTo(safe);
        assertThat(SafeSetup.predictAddress(
                        contracts.proxyFactory(), contracts.singleton(), initializer, BigInteger.TWO, creationCode))
                .isNotEqualTo(safe);
    }

    @Test
    void aSetupDelegatecallRunsAsTheNewSafe() {
        Address spender = TestAddresses.fresh();
        byte[] approveOne = multiSend(List.of(new Inner(usdc.contract(), Calldata.approve(spender, usdc(1)))));

        Address created = chain.createSafe(
                contracts,
                new SafeSetup.Initializer(
                        List.of(agent, guardian.address()),
                        2,
                        Optional.of(contracts.multiSendCallOnly()),
                        approveOne,
                        contracts.fallbackHandler()),
                BigInteger.valueOf(7));

        assertThat(adapter.allowance(usdc.contract(), created, spender)).isEqualTo(BigInteger.ONE);
    }

    static Stream<Arguments> transactions() {
        Address payee = TestAddresses.fresh();
        byte[] oddLength = new byte[33];
        Arrays.fill(oddLength, (byte) 0xab);
        return Stream.of(
                Arguments.of("a USDC transfer", call(Calldata.transfer(payee, usdc(25_000_000)), BigInteger.ZERO)),
                Arguments.of(
                        "ETH with no data",
                        SafeTransaction.call(
                                payee, eth(123_456_789), new byte[0], SafeTransaction.Operation.CALL, BigInteger.ONE)),
                Arguments.of(
                        "a DELEGATECALL to MultiSendCallOnly",
                        SafeTransaction.call(
                                Address.parse("0x9641d764fc13c8B624c04430C7356C1C7C8102e2"),
                                eth(0),
                                multiSend(List.of(new Inner(payee, new byte[0]))),
                                SafeTransaction.Operation.DELEGATECALL,
                                BigInteger.TWO)),
                Arguments.of(
                        "every gas field set, a gas token and a refund receiver",
                        new SafeTransaction(
                                payee,
                                eth(1),
                                oddLength,
                                SafeTransaction.Operation.CALL,
                                BigInteger.valueOf(100_000),
                                BigInteger.valueOf(21_000),
                                BigInteger.valueOf(3_000_000_000L),
                                TestAddresses.fresh(),
                                TestAddresses.fresh(),
                                BigInteger.valueOf(41))),
                Arguments.of(
                        "uint256 maxima",
                        new SafeTransaction(
                                payee,
                                new TokenAmount(ETH, TokenAmount.MAX_UINT256),
                                new byte[1024],
                                SafeTransaction.Operation.DELEGATECALL,
                                TokenAmount.MAX_UINT256,
                                TokenAmount.MAX_UINT256,
                                TokenAmount.MAX_UINT256,
                                Address.parse("0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF"),
                                Address.parse("0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF"),
                                TokenAmount.MAX_UINT256)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transactions")
    void javasSafeTxHashIsTheSafesGetTransactionHash(String what, SafeTransaction tx) {
        byte[] onChain = adapter.callLatest(safe, SafeTransactions.getTransactionHashData(tx), 32);
        byte[] encoded = Abi.decodeBytes(adapter.callLatest(safe, encodeTransactionData(tx), 64));

        assertThat(SafeTransactions.hash(safe, chainId, tx).toBytes()).isEqualTo(Arrays.copyOf(onChain, 32));
        assertThat(SafeTransactions.transactionHashData(safe, chainId, tx)).isEqualTo(encoded);
        // Another Safe, or another chain, is another hash: a signature for one Safe is useless on another.
        assertThat(SafeTransactions.hash(contracts.singleton(), chainId, tx))
                .isNotEqualTo(SafeTransactions.hash(safe, chainId, tx));
        assertThat(SafeTransactions.hash(safe, new ChainId(8453), tx))
                .isNotEqualTo(SafeTransactions.hash(safe, chainId, tx));
    }

    @Test
    void domainSeparatorIsTheSafes() {
        byte[] onChain = adapter.callLatest(safe, Abi.selector("domainSeparator()"), 32);

        assertThat(SafeTransactions.domainSeparator(safe, chainId)).isEqualTo(Arrays.copyOf(onChain, 32));
    }

    @Test
    void theAgentsTypedDataSignatureRecoversToTheAgent() {
        SafeTransaction tx = call(Calldata.transfer(TestAddresses.fresh(), usdc(5_000_000)), nonce());
        SafeTxHash hash = SafeTransactions.hash(safe, chainId, tx);

        byte[] signed = agentSigns(tx);
        SafeSignatures.OwnerSignature recovered = SafeSignatures.recover(hash, signed);

        assertThat(recovered.owner()).isEqualTo(agent);
        assertThat(recovered.overEthSignMessage()).isFalse();
        assertThat(recovered.encoded()).isEqualTo(signed);
        // Over another transaction the same bytes name someone else, whom the caller will not find an owner.
        SafeTransaction other = call(Calldata.transfer(TestAddresses.fresh(), usdc(5_000_000)), nonce());
        assertThat(SafeSignatures.recover(SafeTransactions.hash(safe, chainId, other), signed)
                        .owner())
                .isNotEqualTo(agent);
    }

    @Test
    void anEthSignSignatureCountsOnlyWithSafesV31Or32() {
        SafeTransaction tx = call(Calldata.transfer(TestAddresses.fresh(), usdc(5_000_000)), nonce());
        SafeTxHash hash = SafeTransactions.hash(safe, chainId, tx);
        byte[] ethSigned = chain.ethSignAs(agent, hash.toBytes());

        // As a wallet returns it (v 27/28), it reads as a signature over the hash itself: by nobody we know.
        assertThat(SafeSignatures.recover(hash, ethSigned).owner()).isNotEqualTo(agent);
        byte[] marked = ethSigned.clone();
        marked[64] += 4;
        SafeSignatures.OwnerSignature recovered = SafeSignatures.recover(hash, marked);
        assertThat(recovered.owner()).isEqualTo(agent);
        assertThat(recovered.overEthSignMessage()).isTrue();

        // The Safe agrees: that signature and Guardian's pass checkSignatures.
        checkSignatures(tx, SafeSignatures.encode(List.of(recovered, SafeSignatures.sign(guardian, hash))));
    }

    @Test
    void checkSignaturesAcceptsTheSortedPairAndNothingLess() {
        SafeTransaction tx = call(Calldata.transfer(TestAddresses.fresh(), usdc(5_000_000)), nonce());
        SafeTxHash hash = SafeTransactions.hash(safe, chainId, tx);
        SafeSignatures.OwnerSignature agentSignature = SafeSignatures.recover(hash, agentSigns(tx));
        SafeSignatures.OwnerSignature guardianSignature = SafeSignatures.sign(guardian, hash);
        SafeSignatures.OwnerSignature strangerSignature = SafeSignatures.sign(stranger, hash);
        SafeSignatures.OwnerSignature low =
                agent.compareTo(guardian.address()) < 0 ? agentSignature : guardianSignature;
        SafeSignatures.OwnerSignature high = low == agentSignature ? guardianSignature : agentSignature;

        checkSignatures(tx, SafeSignatures.encode(List.of(high, low)));
        checkSignatures(tx, SafeSignatures.encode(List.of(guardianSignature, agentSignature)));
        checkSignatures(
                tx,
                SafeSignatures.encode(
                        List.of(agentSignature, guardianSignature), cover(hash, BigInteger.ZERO, BigInteger.ZERO)));

        assertThat(checkSignaturesRevert(tx, concat(high.encoded(), low.encoded())))
                .as("descending owners")
                .contains("GS026");
        assertThat(checkSignaturesRevert(tx, SafeSignatures.encode(List.of(agentSignature))))
                .as("one signature of two")
                .contains("GS020");
        assertThat(checkSignaturesRevert(tx, SafeSignatures.encode(List.of(agentSignature, strangerSignature))))
                .as("a signature by a non-owner")
                .contains("GS026");
        assertThat(checkSignaturesRevert(tx, concat(agentSignature.encoded(), agentSignature.encoded())))
                .as("the agent twice")
                .contains("GS026");
        assertThatThrownBy(() -> SafeSignatures.encode(List.of(agentSignature, agentSignature)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("each owner signs once");
    }

    @Test
    void aThirdAccountExecutesWhatTheAgentAndGuardianSignedAndUsdcMoves() {
        Address payee = TestAddresses.fresh();
        BigInteger nonce = nonce();
        SafeTransaction tx = call(Calldata.transfer(payee, usdc(25_000_000)), nonce);
        SafeTxHash hash = SafeTransactions.hash(safe, chainId, tx);
        TokenAmount before = adapter.balance(usdc, safe);
        TokenAmount relayerEth = adapter.balance(ETH, relayer);

        byte[] signatures = SafeSignatures.encode(
                List.of(SafeSignatures.recover(hash, agentSigns(tx)), SafeSignatures.sign(guardian, hash)));
        ContractCall exec = SafeTransactions.execTransaction(relayer, safe, tx, signatures);
        chain.send(exec.from(), exec.to(), exec.value(), exec.data());

        assertThat(adapter.balance(usdc, payee)).isEqualTo(usdc(25_000_000));
        assertThat(adapter.balance(usdc, safe)).isEqualTo(before.minus(usdc(25_000_000)));
        assertThat(nonce()).isEqualTo(nonce.add(BigInteger.ONE));
        // The relayer paid the gas; the Safe refunded nothing (gasPrice 0).
        assertThat(adapter.balance(ETH, relayer)).isLessThan(relayerEth);
        assertThat(adapter.balance(ETH, safe)).isEqualTo(eth(0));
    }

    @Test
    void aCoverBehindTheSignaturesDoesNotStopExecution() {
        Address payee = TestAddresses.fresh();
        SafeTransaction tx = call(Calldata.transfer(payee, usdc(7_000_000)), nonce());
        SafeTxHash hash = SafeTransactions.hash(safe, chainId, tx);
        byte[] cover = cover(hash, usdc(7_000_000).units(), BigInteger.ZERO);

        byte[] signatures = SafeSignatures.encode(
                List.of(SafeSignatures.sign(guardian, hash), SafeSignatures.recover(hash, agentSigns(tx))), cover);
        chain.send(relayer, safe, eth(0), SafeTransactions.execTransactionData(tx, signatures));

        assertThat(signatures).hasSize(2 * SafeSignatures.LENGTH + SafeCover.LENGTH);
        assertThat(Arrays.copyOfRange(signatures, 130, 134)).isEqualTo(SafeCover.MAGIC);
        assertThat(adapter.balance(usdc, payee)).isEqualTo(usdc(7_000_000));
    }

    @Test
    void aDelegatecallToMultiSendCallOnlyPaysBothPayees() {
        Address first = TestAddresses.fresh();
        Address second = TestAddresses.fresh();
        SafeTransaction tx = SafeTransaction.call(
                contracts.multiSendCallOnly(),
                eth(0),
                multiSend(List.of(
                        new Inner(usdc.contract(), Calldata.transfer(first, usdc(1_000_000))),
                        new Inner(usdc.contract(), Calldata.transfer(second, usdc(2_000_000))))),
                SafeTransaction.Operation.DELEGATECALL,
                nonce());

        chain.send(relayer, safe, eth(0), SafeTransactions.execTransactionData(tx, bothSign(tx)));

        assertThat(adapter.balance(usdc, first)).isEqualTo(usdc(1_000_000));
        assertThat(adapter.balance(usdc, second)).isEqualTo(usdc(2_000_000));
    }

    @Test
    void theAgentAloneCannotExecuteAndNothingMoves() {
        Address payee = TestAddresses.fresh();
        BigInteger nonce = nonce();
        SafeTransaction tx = call(Calldata.transfer(payee, usdc(25_000_000)), nonce);
        SafeTxHash hash = SafeTransactions.hash(safe, chainId, tx);
        TokenAmount before = adapter.balance(usdc, safe);
        byte[] agentOnly = SafeSignatures.encode(List.of(SafeSignatures.recover(hash, agentSigns(tx))));

        byte[] exec = SafeTransactions.execTransactionData(tx, agentOnly);

        // Anvil mines it, and it reverts; eth_call of the same says why (GS020: signatures data too short).
        assertThatThrownBy(() -> chain.send(relayer, safe, eth(0), exec))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reverted");
        assertThatThrownBy(() -> adapter.callLatest(safe, exec, 0))
                .isInstanceOf(ChainRequestFailedException.class)
                .hasMessageContaining("GS020");

        assertThat(adapter.balance(usdc, payee)).isEqualTo(usdc(0));
        assertThat(adapter.balance(usdc, safe)).isEqualTo(before);
        assertThat(nonce()).isEqualTo(nonce);
    }

    @Test
    void aMalleableSIsRefusedThoughTheSafeWouldTakeIt() {
        SafeTransaction tx = call(Calldata.transfer(TestAddresses.fresh(), usdc(5_000_000)), nonce());
        SafeTxHash hash = SafeTransactions.hash(safe, chainId, tx);
        byte[] signed = agentSigns(tx);
        byte[] flipped = SafeSignaturesTest.flipS(signed);

        assertThatThrownBy(() -> SafeSignatures.recover(hash, flipped))
                .isInstanceOfSatisfying(
                        SafeSignatureException.class,
                        e -> assertThat(e.reason()).isEqualTo(SafeSignatureException.Reason.MALLEABLE_S))
                .hasMessageContaining("upper half");
        // Safe 1.4.1 checks signatures with a bare ecrecover, which takes the high-s twin: the refusal is
        // Guardian's, so that each approval has one encoding (and one hash in the audit log).
        SafeSignatures.OwnerSignature guardianSignature = SafeSignatures.sign(guardian, hash);
        byte[] withTwin = agent.compareTo(guardian.address()) < 0
                ? concat(flipped, guardianSignature.encoded())
                : concat(guardianSignature.encoded(), flipped);
        checkSignatures(tx, withTwin);
    }

    // ---- helpers ----

    private static SafeTransaction call(byte[] usdcCall, BigInteger nonce) {
        return SafeTransaction.call(usdc.contract(), eth(0), usdcCall, SafeTransaction.Operation.CALL, nonce);
    }

    private static byte[] agentSigns(SafeTransaction tx) {
        return chain.signTypedDataAs(agent, TypedDataJson.of(SafeTransactions.typedData(safe, chainId, tx)));
    }

    private static byte[] bothSign(SafeTransaction tx) {
        SafeTxHash hash = SafeTransactions.hash(safe, chainId, tx);
        return SafeSignatures.encode(
                List.of(SafeSignatures.recover(hash, agentSigns(tx)), SafeSignatures.sign(guardian, hash)));
    }

    private static byte[] cover(SafeTxHash hash, BigInteger maxTokenOut, BigInteger maxEthOut) {
        Address guard = TestAddresses.fresh(); // no guard is installed: the Safe must simply ignore the blob
        return SafeCover.sign(guardian, guard, safe, chainId, hash, maxTokenOut, maxEthOut, Long.MAX_VALUE)
                .encode();
    }

    private static void checkSignatures(SafeTransaction tx, byte[] signatures) {
        ContractCall check = SafeTransactions.checkSignatures(relayer, safe, chainId, tx, signatures);
        assertThat(adapter.callLatest(check.to(), check.data(), 0)).isEmpty();
    }

    private static String checkSignaturesRevert(SafeTransaction tx, byte[] signatures) {
        ContractCall check = SafeTransactions.checkSignatures(relayer, safe, chainId, tx, signatures);
        try {
            adapter.callLatest(check.to(), check.data(), 0);
        } catch (ChainRequestFailedException e) {
            return e.getMessage();
        }
        throw new AssertionError("checkSignatures accepted " + signatures.length + " bytes of signatures");
    }

    private static BigInteger nonce() {
        return new BigInteger(1, adapter.callLatest(safe, SafeTransactions.nonceData(), 32));
    }

    private static byte[] encodeTransactionData(SafeTransaction tx) {
        byte[] getHash = SafeTransactions.getTransactionHashData(tx);
        byte[] selector = Abi.selector(
                "encodeTransactionData(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,uint256)");
        System.arraycopy(selector, 0, getHash, 0, 4); // the same arguments, another function
        return getHash;
    }

    private static SafeL2 readOnly(Address at) {
        return SafeL2.load(
                at.toString(),
                web3j,
                new ReadonlyTransactionManager(web3j, relayer.toString()),
                new DefaultGasProvider());
    }

    /** One call inside a MultiSend batch, as MultiSendCallOnly reads it. */
    private record Inner(Address to, byte[] data) {}

    /** {@code multiSend(bytes)} of packed (uint8 operation 0, address, uint256 value 0, uint256 length, data) entries. */
    private static byte[] multiSend(List<Inner> calls) {
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        for (Inner inner : calls) {
            packed.write(0);
            packed.writeBytes(inner.to().toBytes());
            packed.writeBytes(Abi.uint(BigInteger.ZERO).word());
            packed.writeBytes(Abi.uint(inner.data().length).word());
            packed.writeBytes(inner.data());
        }
        return Abi.call(Abi.selector("multiSend(bytes)"), new Abi.DynamicBytes(packed.toByteArray()));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static TokenAmount usdc(long units) {
        return TokenAmount.ofUnits(usdc, units);
    }

    private static TokenAmount eth(long wei) {
        return TokenAmount.ofUnits(ETH, wei);
    }
}
