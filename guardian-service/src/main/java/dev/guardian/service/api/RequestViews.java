package dev.guardian.service.api;

import dev.guardian.policy.Hex;
import dev.guardian.service.requests.RequestKind;
import dev.guardian.service.requests.SafeRequests;
import dev.guardian.service.requests.SignatureRequests;
import dev.guardian.service.requests.SignedTypedData;
import dev.guardian.service.requests.StoredRequest;
import dev.guardian.service.requests.X402Requests;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Requests as agents read them, with what only the service can add to a request's row: for a signed x402
 * payment, the header to retry the resource with, built again from the seller's answer as recorded; for a Safe
 * transaction, its {@code safeTxHash} (in {@code asked}) and the execTransaction with the agent's signature alone,
 * in place of the co-signed call the view never shows.
 */
@Component
class RequestViews {
    private final X402Requests x402;
    private final SignatureRequests signatures;
    private final SafeRequests safes;

    RequestViews(X402Requests x402, SignatureRequests signatures, SafeRequests safes) {
        this.x402 = x402;
        this.signatures = signatures;
        this.safes = safes;
    }

    RequestView of(StoredRequest request) {
        RequestView view = RequestView.of(request);
        Optional<SafeRequests.View> safe = safes.view(request);
        if (safe.isPresent()) {
            return view.withSafeTransaction(
                    safe.get().safeTxHash(), Hex.encode(safe.get().agentOnlyData()));
        }
        if (request.requestKind() != RequestKind.X402_PAYMENT
                || request.typedData().flatMap(SignedTypedData::signature).isEmpty()) {
            return view;
        }
        return x402.header(request, signatures.typedData(request))
                .map(h -> view.withX402(h.name(), h.value()))
                .orElse(view);
    }
}
