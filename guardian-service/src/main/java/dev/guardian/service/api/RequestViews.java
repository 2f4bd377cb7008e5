package dev.guardian.service.api;

import dev.guardian.service.requests.RequestKind;
import dev.guardian.service.requests.SignatureRequests;
import dev.guardian.service.requests.SignedTypedData;
import dev.guardian.service.requests.StoredRequest;
import dev.guardian.service.requests.X402Requests;
import org.springframework.stereotype.Component;

/**
 * Requests as agents read them, with what only the service can add to a request's row: for a signed x402
 * payment, the header to retry the resource with, built again from the seller's answer as recorded.
 */
@Component
class RequestViews {
    private final X402Requests x402;
    private final SignatureRequests signatures;

    RequestViews(X402Requests x402, SignatureRequests signatures) {
        this.x402 = x402;
        this.signatures = signatures;
    }

    RequestView of(StoredRequest request) {
        RequestView view = RequestView.of(request);
        if (request.requestKind() != RequestKind.X402_PAYMENT
                || request.typedData().flatMap(SignedTypedData::signature).isEmpty()) {
            return view;
        }
        return x402.header(request, signatures.typedData(request))
                .map(h -> view.withX402(h.name(), h.value()))
                .orElse(view);
    }
}
