package dev.guardian.service.api;

import dev.guardian.policy.Hex;
import dev.guardian.service.requests.EffectView;
import dev.guardian.service.requests.ReasonView;
import dev.guardian.service.requests.StoredRequest;
import java.util.List;
import java.util.Map;

/** A request as an agent reads it. */
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
        String txHash,
        Long blockNumber,
        String failure,
        String createdAt,
        String updatedAt) {

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
                Hex.encode(r.data()),
                r.reasons(),
                r.effects(),
                r.policyVersion(),
                r.screeningVersion().orElse(null),
                r.nonce().orElse(null),
                r.txHash().map(Object::toString).orElse(null),
                r.blockNumber().orElse(null),
                r.failure().orElse(null),
                r.createdAt().toString(),
                r.updatedAt().toString());
    }
}
