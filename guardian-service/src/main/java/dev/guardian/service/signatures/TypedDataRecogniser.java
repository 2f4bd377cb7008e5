package dev.guardian.service.signatures;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.rules.SignatureTerms;
import dev.guardian.policy.rules.SignatureTerms.Standard;
import dev.guardian.policy.rules.WalletCall;
import dev.guardian.signer.Eip712;
import dev.guardian.signer.TypedData;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises the typed data Guardian signs, for one wallet, and says what each would let someone do:
 *
 * <ul>
 *   <li>EIP-3009 {@code TransferWithAuthorization} / {@code ReceiveWithAuthorization} of USDC: a transfer of
 *       {@code value} from the wallet to {@code to};
 *   <li>EIP-2612 {@code Permit} of USDC: an ERC-20 allowance of {@code value} for {@code spender};
 *   <li>Permit2 {@code PermitSingle} / {@code PermitBatch}: Permit2 allowances, every detail of a batch judged
 *       as its own allowance and its own {@code approve}, each bounded by its {@code expiration}; {@code PermitTransferFrom} /
 *       {@code PermitWitnessTransferFrom}: the power of {@code spender} to move {@code amount} once, judged as a
 *       Permit2 allowance of that amount.
 * </ul>
 *
 * Each must carry the real contract's domain (for USDC: name, version, chain id and address as the chain
 * confirmed them; for Permit2: its name, this chain and the configured deployment) and exactly the
 * standard's type, and may only move the wallet's own money: anything else that names these types or
 * contracts is refused. Other typed data is a message that moves no value, which the rules refuse unless
 * the agent's policy lists its domain and type.
 */
public final class TypedDataRecogniser {
    static final String TRANSFER_WITH_AUTHORIZATION =
            "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)";
    static final String RECEIVE_WITH_AUTHORIZATION =
            "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)";
    static final String PERMIT = "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)";
    static final String PERMIT_SINGLE = "PermitSingle(PermitDetails details,address spender,uint256 sigDeadline)"
            + "PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)";
    static final String PERMIT_BATCH = "PermitBatch(PermitDetails[] details,address spender,uint256 sigDeadline)"
            + "PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)";
    static final String PERMIT_TRANSFER_FROM =
            "PermitTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline)"
                    + "TokenPermissions(address token,uint256 amount)";
    static final String PERMIT2_NAME = "Permit2";

    /**
     * Types that move money (or cancel what does) wherever they appear: never signed as a mere message, so a
     * policy that lists one as a message cannot open a way around the transfer rules.
     */
    private static final Set<String> USDC_TYPES =
            Set.of("TransferWithAuthorization", "ReceiveWithAuthorization", "CancelAuthorization", "Permit");

    private static final Set<String> PERMIT2_TYPES = Set.of(
            "PermitSingle",
            "PermitBatch",
            "PermitTransferFrom",
            "PermitWitnessTransferFrom",
            "PermitBatchTransferFrom",
            "PermitBatchWitnessTransferFrom");

    /** Other well-known types that move money: a Safe transaction, a Safe message (an ERC-1271 signature). */
    private static final Set<String> OTHER_VALUE_TYPES = Set.of("SafeTx", "SafeMessage");

    private static final byte[] TRANSFER = selector("transfer(address,uint256)");
    private static final byte[] APPROVE = selector("approve(address,uint256)");
    private static final byte[] PERMIT2_APPROVE = selector("approve(address,address,uint160,uint48)");

    private final long chainId;
    private final TokenDomain usdc;
    private final Optional<Address> permit2;
    private final AssetRegistry assets;

    public TypedDataRecogniser(long chainId, TokenDomain usdc, Optional<Address> permit2, AssetRegistry assets) {
        this.chainId = chainId;
        this.usdc = usdc;
        this.permit2 = permit2;
        this.assets = assets;
    }

    /** What {@code data}, signed by {@code wallet}'s key, would let others do. */
    public Recognised recognise(Address wallet, TypedData data) {
        Map<String, Object> domain = data.domain();
        SignatureTerms.Domain named = domainOf(domain);
        Optional<Address> contract = named.verifyingContract();
        String type = data.primaryType();
        Terms terms = new Terms(named, type, Eip712.encodeType(data, type), assets.nativeAsset());
        Optional<BigInteger> domainChain = named.chainId();
        if (contract.filter(wallet::equals).isPresent()) {
            return terms.refused("the typed data names the wallet itself (" + wallet + ") as its verifying contract;"
                    + " Guardian does not sign for the wallet's own code");
        }
        boolean usdcContract = contract.filter(usdc.contract()::equals).isPresent();
        boolean permit2Contract = contract.isPresent() && permit2.equals(contract);
        boolean usdcType = USDC_TYPES.contains(type);
        boolean permit2Type = PERMIT2_TYPES.contains(type);
        if (OTHER_VALUE_TYPES.contains(type)) {
            return terms.refused(type + " moves money through a contract Guardian does not co-sign for this way");
        }
        if (!usdcType && !permit2Type && !usdcContract && !permit2Contract) {
            if (domainChain.isPresent() && !domainChain.get().equals(BigInteger.valueOf(chainId))) {
                return terms.refused("the typed data is for chain " + domainChain.get() + ", not this one (" + chainId
                        + "): the wallet's key is the same on every chain");
            }
            return new Recognised(
                    terms.of(Standard.MESSAGE, Optional.empty()),
                    List.of(),
                    contract.orElse(Address.ZERO),
                    new byte[0],
                    Optional.empty());
        }
        if (usdcContract || usdcType) {
            if (!usdc.is(domain)) {
                return terms.refused(
                        type + " is signed only for " + usdc.token().symbol() + " with its real EIP-712 domain " + usdc
                                + "; this typed data's domain is " + domain);
            }
            return switch (Eip712.encodeType(data, type)) {
                case TRANSFER_WITH_AUTHORIZATION -> authorization(wallet, data, terms, Standard.EIP3009_TRANSFER);
                case RECEIVE_WITH_AUTHORIZATION -> authorization(wallet, data, terms, Standard.EIP3009_RECEIVE);
                case PERMIT -> permit(wallet, data, terms);
                default ->
                    terms.refused(type + " is not a type Guardian signs for "
                            + usdc.token().symbol()
                            + " (it signs TransferWithAuthorization, ReceiveWithAuthorization and Permit, each exactly as"
                            + " the token defines it; cancellations are Guardian's own)");
            };
        }
        if (permit2.isEmpty()) {
            return terms.refused(type + " is a Permit2 type, and this deployment has no guardian.chain.permit2");
        }
        if (!permit2Contract || !isPermit2Domain(domain)) {
            return terms.refused(type + " is signed only with Permit2's domain {name=Permit2, chainId=" + chainId
                    + ", verifyingContract=" + permit2.get() + "}; this typed data's domain is " + domain);
        }
        String encoded = Eip712.encodeType(data, type);
        if (encoded.equals(PERMIT_SINGLE)) {
            return permit2Allowance(
                    wallet, data, terms, List.of(struct(data.message().get("details"))));
        }
        if (encoded.equals(PERMIT_BATCH)) {
            List<Map<String, Object>> details = new ArrayList<>();
            for (Object each : (List<?>) data.message().get("details")) {
                details.add(struct(each));
            }
            return permit2Allowance(wallet, data, terms, details);
        }
        if (encoded.equals(PERMIT_TRANSFER_FROM) || isWitnessTransfer(data, encoded)) {
            return permit2Transfer(wallet, data, terms);
        }
        return terms.refused(type + " is not a Permit2 type Guardian signs (it signs PermitSingle, PermitBatch,"
                + " PermitTransferFrom and PermitWitnessTransferFrom, each exactly as Permit2 defines it)");
    }

    private Recognised authorization(Address wallet, TypedData data, Terms terms, Standard standard) {
        Map<String, Object> message = data.message();
        Address from = (Address) message.get("from");
        Address to = (Address) message.get("to");
        if (!from.equals(wallet)) {
            return terms.refused(
                    "the authorization moves the money of " + from + ", not of this wallet (" + wallet + ")");
        }
        BigInteger value = (BigInteger) message.get("value");
        Instant validAfter = instant((BigInteger) message.get("validAfter"));
        Instant validBefore = instant((BigInteger) message.get("validBefore"));
        byte[] nonce = Hex.decode((String) message.get("nonce"));
        TokenAmount amount = new TokenAmount(usdc.token(), value);
        return new Recognised(
                terms.of(standard, Optional.of(validBefore.minusSeconds(1))),
                List.of(new Transfer(amount, wallet, to)),
                usdc.contract(),
                call(TRANSFER, word(to), word(value)),
                Optional.of(new OnChainUse.Eip3009(usdc.contract(), wallet, to, nonce, validAfter, validBefore)));
    }

    private Recognised permit(Address wallet, TypedData data, Terms terms) {
        Map<String, Object> message = data.message();
        Address owner = (Address) message.get("owner");
        if (!owner.equals(wallet)) {
            return terms.refused("the permit grants an allowance over the money of " + owner + ", not of this wallet ("
                    + wallet + ")");
        }
        Address spender = (Address) message.get("spender");
        BigInteger value = (BigInteger) message.get("value");
        Instant deadline = instant((BigInteger) message.get("deadline"));
        return new Recognised(
                terms.of(Standard.EIP2612_PERMIT, Optional.of(deadline)),
                List.of(new Approval(new TokenAmount(usdc.token(), value), wallet, spender, Approval.Kind.ERC20)),
                usdc.contract(),
                call(APPROVE, word(spender), word(value)),
                Optional.of(
                        new OnChainUse.Eip2612(usdc.contract(), wallet, (BigInteger) message.get("nonce"), deadline)));
    }

    /**
     * Permit2 allowances, one per detail: each is an allowance effect, each an {@code approve} the contract
     * rules judge (the first as the request's call, the others as further calls), and each expires when its
     * {@code expiration} says ({@code 0}: in the block that uses the permit, so no later than
     * {@code sigDeadline}). An amount of {@code type(uint160).max} is Permit2's unlimited allowance.
     */
    private Recognised permit2Allowance(
            Address wallet, TypedData data, Terms terms, List<Map<String, Object>> details) {
        Address spender = (Address) data.message().get("spender");
        Instant deadline = instant((BigInteger) data.message().get("sigDeadline"));
        if (details.isEmpty()) {
            return terms.refused(data.primaryType() + " grants nothing: its details are empty");
        }
        List<Effect> effects = new ArrayList<>();
        List<OnChainUse.Permit2Allowance.Grant> grants = new ArrayList<>();
        List<byte[]> calls = new ArrayList<>();
        Instant grantedUntil = deadline;
        for (Map<String, Object> detail : details) {
            Address token = (Address) detail.get("token");
            BigInteger amount = (BigInteger) detail.get("amount");
            BigInteger expiration = (BigInteger) detail.get("expiration");
            effects.add(
                    new Approval(new TokenAmount(assets.token(token), amount), wallet, spender, Approval.Kind.PERMIT2));
            grants.add(new OnChainUse.Permit2Allowance.Grant(token, spender, (BigInteger) detail.get("nonce")));
            calls.add(call(PERMIT2_APPROVE, word(token), word(spender), word(amount), word(expiration)));
            Instant expires = expiration.signum() == 0 ? deadline : instant(expiration);
            if (expires.isAfter(grantedUntil)) {
                grantedUntil = expires;
            }
        }
        return new Recognised(
                terms.of(
                        Standard.PERMIT2_ALLOWANCE,
                        Optional.of(deadline),
                        Optional.of(grantedUntil),
                        permit2.orElseThrow(),
                        calls.subList(1, calls.size())),
                effects,
                permit2.orElseThrow(),
                calls.getFirst(),
                Optional.of(new OnChainUse.Permit2Allowance(permit2.orElseThrow(), wallet, grants, deadline)));
    }

    private Recognised permit2Transfer(Address wallet, TypedData data, Terms terms) {
        Map<String, Object> message = data.message();
        Map<String, Object> permitted = struct(message.get("permitted"));
        Address token = (Address) permitted.get("token");
        BigInteger amount = (BigInteger) permitted.get("amount");
        Address spender = (Address) message.get("spender");
        Instant deadline = instant((BigInteger) message.get("deadline"));
        // The spender may send the amount to anyone, once, until the deadline: an allowance in all but name.
        return new Recognised(
                terms.of(Standard.PERMIT2_TRANSFER, Optional.of(deadline)),
                List.of(new Approval(
                        new TokenAmount(assets.token(token), amount), wallet, spender, Approval.Kind.PERMIT2)),
                permit2.orElseThrow(),
                call(PERMIT2_APPROVE, word(token), word(spender), word(amount), word(deadline.getEpochSecond())),
                Optional.of(new OnChainUse.Permit2Transfer(
                        permit2.orElseThrow(), wallet, (BigInteger) message.get("nonce"), deadline)));
    }

    /**
     * {@code PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,W witness)}
     * with any witness struct W: what the witness says binds the spender, but moves nothing more.
     */
    private static boolean isWitnessTransfer(TypedData data, String encoded) {
        if (!data.primaryType().equals("PermitWitnessTransferFrom")) {
            return false;
        }
        List<TypedData.Field> fields = data.types().get("PermitWitnessTransferFrom");
        return fields.size() == 5
                && fields.get(0).equals(new TypedData.Field("permitted", "TokenPermissions"))
                && fields.get(1).equals(new TypedData.Field("spender", "address"))
                && fields.get(2).equals(new TypedData.Field("nonce", "uint256"))
                && fields.get(3).equals(new TypedData.Field("deadline", "uint256"))
                && data.types().containsKey(fields.get(4).type())
                && encoded.contains("TokenPermissions(address token,uint256 amount)");
    }

    private boolean isPermit2Domain(Map<String, Object> domain) {
        return domain.size() == 3
                && PERMIT2_NAME.equals(domain.get("name"))
                && BigInteger.valueOf(chainId).equals(domain.get("chainId"))
                && permit2.equals(Optional.ofNullable(domain.get("verifyingContract")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> struct(Object value) {
        return (Map<String, Object>) value;
    }

    /** A timestamp of the chain; one past any instant Java can hold is as good as never. */
    private static Instant instant(BigInteger seconds) {
        return seconds.compareTo(BigInteger.valueOf(Instant.MAX.getEpochSecond())) > 0
                ? Instant.MAX
                : Instant.ofEpochSecond(seconds.longValueExact());
    }

    private static byte[] word(Address address) {
        byte[] word = new byte[32];
        System.arraycopy(address.toBytes(), 0, word, 12, 20);
        return word;
    }

    private static byte[] word(long value) {
        return word(BigInteger.valueOf(value));
    }

    private static byte[] word(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] word = new byte[32];
        int length = Math.min(bytes.length, 32); // values are below 2^256: a 33rd byte is only a sign byte
        System.arraycopy(bytes, bytes.length - length, word, 32 - length, length);
        return word;
    }

    private static byte[] call(byte[] selector, byte[]... words) {
        byte[] data = new byte[4 + 32 * words.length];
        System.arraycopy(selector, 0, data, 0, 4);
        for (int i = 0; i < words.length; i++) {
            System.arraycopy(words[i], 0, data, 4 + 32 * i, 32);
        }
        return data;
    }

    private static byte[] selector(String signature) {
        byte[] hash = Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII));
        byte[] selector = new byte[4];
        System.arraycopy(hash, 0, selector, 0, 4);
        return selector;
    }

    /** The domain as the rules read it: every standard field the typed data's domain carries. */
    private static SignatureTerms.Domain domainOf(Map<String, Object> domain) {
        return new SignatureTerms.Domain(
                Optional.ofNullable(domain.get("name")).map(String.class::cast),
                Optional.ofNullable(domain.get("version")).map(String.class::cast),
                Optional.ofNullable(domain.get("chainId")).map(BigInteger.class::cast),
                Optional.ofNullable(domain.get("verifyingContract")).map(Address.class::cast),
                Optional.ofNullable(domain.get("salt")).map(String.class::cast));
    }

    /** The parts of the terms every outcome shares. */
    private record Terms(SignatureTerms.Domain domain, String primaryType, String encodedType, Asset nativeAsset) {
        SignatureTerms of(Standard standard, Optional<Instant> validUntil) {
            return of(standard, validUntil, Optional.empty(), Address.ZERO, List.of());
        }

        SignatureTerms of(
                Standard standard,
                Optional<Instant> validUntil,
                Optional<Instant> grantedUntil,
                Address contract,
                List<byte[]> furtherCalls) {
            return new SignatureTerms(
                    standard,
                    Optional.empty(),
                    domain,
                    primaryType,
                    encodedType,
                    validUntil,
                    grantedUntil,
                    furtherCalls.stream()
                            .map(data -> new WalletCall(contract, TokenAmount.zero(nativeAsset), data))
                            .toList(),
                    Optional.empty());
        }

        Recognised refused(String why) {
            return new Recognised(
                    of(Standard.MESSAGE, Optional.empty()).refused(why),
                    List.of(),
                    domain.verifyingContract().orElse(Address.ZERO),
                    new byte[0],
                    Optional.empty());
        }
    }
}
