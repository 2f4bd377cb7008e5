package dev.guardian.service.api;

import dev.guardian.service.policies.InvalidPolicyException;
import dev.guardian.service.policies.PolicyDocument;
import dev.guardian.service.policies.PolicyDocuments;
import dev.guardian.service.policies.PolicyProblem;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a policy document (or the budget part of one) that arrives nested in a larger JSON body, with
 * the same validation as a document posted on its own; every problem's JSON pointer is made to point
 * into the whole body ({@code /policy/budgets/0/limit}). Amounts sent as JSON numbers arrive here as
 * exact decimals: the request mapper reads floating-point numbers as {@code BigDecimal}.
 */
@Component
class PolicyBodies {
    private final PolicyDocuments documents;
    private final JsonMapper json;

    PolicyBodies(PolicyDocuments documents, JsonMapper json) {
        this.documents = documents;
        this.json = json;
    }

    PolicyDocument parse(JsonNode node, String pointerPrefix) {
        try {
            return documents.parse(json.writeValueAsBytes(node), false);
        } catch (InvalidPolicyException e) {
            // The same 422 as a document posted on its own, pointing into the whole body.
            throw new InvalidPolicyException(e.problems().stream()
                    .map(p -> new PolicyProblem(pointerPrefix + p.pointer(), p.message()))
                    .toList());
        }
    }
}
