package dev.guardian.service.api;

import dev.guardian.policy.Hex;
import dev.guardian.service.requests.EffectView;
import dev.guardian.service.requests.JudgedFee;
import dev.guardian.service.requests.ReasonView;
import dev.guardian.service.requests.RequestKind;
import dev.guardian.service.requests.SignedTypedData;
import dev.guardian.service.requests.SigningPostponement;
import dev.guardian.service.requests.StoredRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request as an agent reads it. {@code fee} is the gas it was judged with and is signed with (absent for
 * requests decided before fees were judged); {@code feePaidWei} what its transaction cost once mined;
 * {@code executedEffects} what the mined transaction really did, and {@code divergence} (for a DIVERGED
 * request) each way that went beyond what was judged. {@code signingPostponed}, only while an ALLOWED or
 * APPROVED request waits for the chain: since when, when it was last tried and the chain's last error; it is
 * not a failure (nothing was signed, its budget stays held, and it is tried again until it is signed or its
 * decision expires). {@code relayer}: the relayer account that sends its transaction when the wallet does not
 * (a cancellation of an authorization, a Safe transaction); {@code nonce} is then the relayer's. A Safe
 * transaction's {@code data} is the execTransaction with the agent's signature alone (absent where only the row
 * is at hand), its {@code asked} the Safe transaction and its {@code safeTxHash}: never the co-signed
 * execTransaction (docs/safe-wallets.md).
 */
record RequestView(
        String id,
        String agentId,
        String kind,
        Map<String, Object> asked,
        String status,
        String verdict,
        String to,
        String valueWei,
        String data,
        List<ReasonView> reasons,
        List<EffectView> effects,
        String policyVersion,
        String screeningList,
        Long nonce,
        String relayer,
        String txHash,
        Long blockNumber,
        String failure,
        String createdAt,
        String updatedAt,
        FeeView fee,
        String feePaidWei,
        List<EffectView> executedEffects,
        List<String> divergence,
        SigningPostponedView signingPostponed,
        SignatureView signature,
        X402View x402) {

    /**
     * An x402 payment's header, once signed: retry the resource with header {@code name} set to {@code value}
     * ({@code PAYMENT-SIGNATURE} for x402 v2, {@code X-PAYMENT} for v1).
     */
    record X402View(String header, String value) {}

    /**
     * This view of a Safe transaction with its {@code safeTxHash} (in {@code asked}) and, as {@code data}, the
     * execTransaction with the agent's signature alone: never Guardian's co-signature or cover.
     */
    RequestView withSafeTransaction(String safeTxHash, String agentOnlyData) {
        Map<String, Object> all = new LinkedHashMap<>(asked);
        all.put("safeTxHash", safeTxHash);
        return new RequestView(
                id,
                agentId,
                kind,
                all,
                status,
                verdict,
                to,
                valueWei,
                agentOnlyData,
                reasons,
                effects,
                policyVersion,
                screeningList,
                nonce,
                relayer,
                txHash,
                blockNumber,
                failure,
                createdAt,
                updatedAt,
                fee,
                feePaidWei,
                executedEffects,
                divergence,
                signingPostponed,
                signature,
                x402);
    }

    /** This view with the header an x402 payment is retried with. */
    RequestView withX402(String header, String value) {
        return new RequestView(
                id,
                agentId,
                kind,
                asked,
                status,
                verdict,
                to,
                valueWei,
                data,
                reasons,
                effects,
                policyVersion,
                screeningList,
                nonce,
                relayer,
                txHash,
                blockNumber,
                failure,
                createdAt,
                updatedAt,
                fee,
                feePaidWei,
                executedEffects,
                divergence,
                signingPostponed,
                signature,
                new X402View(header, value));
    }

    /**
     * A typed-data request's signature: the typed data exactly as signed (its EIP-712 digest is in {@code asked}), and once signed
     * the 65-byte signature (0x r||s||v) and until when it can be used on chain; once seen, the transaction
     * that used (or cancelled) it.
     */
    record SignatureView(Map<String, Object> typedData, String signature, String usableUntil, String settledIn) {}

    /** Why a request ready to sign waits: the chain could not be used when it was last tried. */
    record SigningPostponedView(String since, String lastAttemptAt, String chainError) {
        static SigningPostponedView of(SigningPostponement postponement) {
            return new SigningPostponedView(
                    postponement.since().toString(), postponement.lastAttempt().toString(), postponement.chainError());
        }
    }

    /** A judged fee in wei; {@code maxCostWei} is {@code gasLimit x maxFeePerGasWei + l1FeeWei}, what was reserved. */
    record FeeView(
            long gasLimit, String maxFeePerGasWei, String maxPriorityFeePerGasWei, String l1FeeWei, String maxCostWei) {
        static FeeView of(JudgedFee fee) {
            return new FeeView(
                    fee.gasLimit(),
                    fee.maxFeePerGasWei().toString(),
                    fee.maxPriorityFeePerGasWei().toString(),
                    fee.l1FeeWei().toString(),
                    fee.maxCostWei().toString());
        }
    }

    static RequestView of(StoredRequest r) {
        return new RequestView(
                r.id().toString(),
                r.agentId().value(),
                r.kind(),
                r.description(),
                r.status().name(),
                r.verdict().name(),
                r.to().toString(),
                r.valueWei().toString(),
                // A Safe transaction's call is the co-signed execTransaction once allowed: whoever holds it can
                // execute it. It goes to the chain from the relayer only; RequestViews shows the agent's own.
                r.requestKind() == RequestKind.SAFE_TRANSACTION ? null : Hex.encode(r.data()),
                r.reasons(),
                r.effects(),
                r.policyVersion(),
                r.screeningVersion().orElse(null),
                r.nonce().orElse(null),
                r.relayer().orElse(null),
                r.txHash().map(Object::toString).orElse(null),
                r.blockNumber().orElse(null),
                r.failure().orElse(null),
                r.createdAt().toString(),
                r.updatedAt().toString(),
                r.fee().map(FeeView::of).orElse(null),
                r.feePaidWei().map(Object::toString).orElse(null),
                r.executedEffects().orElse(null),
                r.divergence().isEmpty() ? null : r.divergence(),
                r.waitingForChain().map(SigningPostponedView::of).orElse(null),
                r.typedData().map(RequestView::signatureView).orElse(null),
                null);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static SignatureView signatureView(SignedTypedData typed) {
        return new SignatureView(
                JSON.readValue(typed.json(), new TypeReference<Map<String, Object>>() {}),
                typed.signatureHex().orElse(null),
                typed.usableUntil().map(Object::toString).orElse(null),
                typed.settledIn().map(Object::toString).orElse(null));
    }
}
