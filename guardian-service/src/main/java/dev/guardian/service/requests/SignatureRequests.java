package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.rules.SignatureTerms;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.signatures.Recognised;
import dev.guardian.service.signatures.TokenDomains;
import dev.guardian.service.signatures.TypedDataRecogniser;
import dev.guardian.signer.TypedData;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a typed-data request into what the pipeline judges: the terms, the effects read from the typed
 * data itself (standing in for a simulation: nothing is simulated, because what happens is what the
 * signature states, whenever and by whomever it is used), and the call it is equivalent to. Used when the
 * request arrives, at its final approval and when it is judged again, so all three read it the same way.
 */
public class SignatureRequests {
    private final TokenDomains domains;
    private final Optional<Address> permit2;
    private final AssetRegistry assets;
    private final JsonMapper json;

    SignatureRequests(TokenDomains domains, Optional<Address> permit2, AssetRegistry assets, JsonMapper json) {
        this.domains = domains;
        this.permit2 = permit2;
        this.assets = assets;
        this.json = json;
    }

    /** What {@code request} would let others do with {@code wallet}'s money. */
    public Recognised recognise(Address wallet, AgentRequest.SignatureRequest request) {
        return recognise(wallet, request.typedData(), request.x402());
    }

    /** The same, for a recorded typed-data request (its typed data as recorded). */
    public Recognised recognise(Address wallet, StoredRequest recorded) {
        TypedData data = typedData(recorded);
        Optional<SignatureTerms.X402Quote> quote = Optional.empty();
        if (recorded.requestKind() == RequestKind.X402_PAYMENT) {
            Map<String, Object> described = recorded.description();
            quote = Optional.of(new SignatureTerms.X402Quote(
                    asserted(described, AgentRequest.X402Payment.ASSERTED_RESOURCE, "resource"),
                    asserted(described, AgentRequest.X402Payment.ASSERTED_ORIGIN, "origin"),
                    recorded.effects().isEmpty() ? TokenAmount.zero(assets.nativeAsset()) : priceOf(recorded)));
        }
        return recognise(wallet, data, quote);
    }

    /** An x402 request's recorded resource or origin, under its name, or the one requests had before it. */
    private static String asserted(Map<String, Object> described, String key, String earlierKey) {
        return String.valueOf(described.containsKey(key) ? described.get(key) : described.get(earlierKey));
    }

    /** The typed data a typed-data request signs, as recorded. */
    public TypedData typedData(StoredRequest recorded) {
        String text = recorded.typedData()
                .orElseThrow(() -> new IllegalArgumentException("request " + recorded.id() + " signs no typed data"))
                .json();
        return TypedData.fromJson(json.readValue(text, new TypeReference<Map<String, Object>>() {}));
    }

    private TokenAmount priceOf(StoredRequest recorded) {
        EffectView transfer = recorded.effects().getFirst();
        return transfer.toEffect(assets) instanceof Transfer t ? t.amount() : TokenAmount.zero(assets.nativeAsset());
    }

    private Recognised recognise(Address wallet, TypedData data, Optional<SignatureTerms.X402Quote> quote) {
        TokenDomains.Verification usdc = domains.usdc();
        Recognised recognised = new TypedDataRecogniser(
                        domains.configured().chainId(), usdc.domain().orElse(domains.configured()), permit2, assets)
                .recognise(wallet, data);
        SignatureTerms terms = recognised.terms();
        boolean usdcStandard = terms.standard() == SignatureTerms.Standard.EIP3009_TRANSFER
                || terms.standard() == SignatureTerms.Standard.EIP3009_RECEIVE
                || terms.standard() == SignatureTerms.Standard.EIP2612_PERMIT;
        if (usdcStandard && usdc.problem().isPresent()) {
            return refused(
                    recognised,
                    "Guardian cannot vouch for USDC's EIP-712 domain: "
                            + usdc.problem().get());
        }
        return new Recognised(
                terms.withX402(quote),
                recognised.effects(),
                recognised.contract(),
                recognised.equivalent(),
                recognised.use());
    }

    private static Recognised refused(Recognised recognised, String why) {
        return new Recognised(
                recognised.terms().refused(why), List.of(), recognised.contract(), new byte[0], Optional.empty());
    }

    /** The effects of the typed data, as the judge reads a simulation's: it always "succeeds". */
    public static Simulation simulation(Recognised recognised) {
        Set<Address> touched = recognised.contract().equals(Address.ZERO) ? Set.of() : Set.of(recognised.contract());
        return new Simulation.Succeeded(new SimulatedEffects(recognised.effects(), touched), 0);
    }

    /** The call the signature is equivalent to, as the wallet's own: what the contract rules judge. */
    static ContractCall call(Address wallet, Recognised recognised, Asset nativeAsset) {
        return new ContractCall(wallet, recognised.contract(), TokenAmount.zero(nativeAsset), recognised.equivalent());
    }
}
