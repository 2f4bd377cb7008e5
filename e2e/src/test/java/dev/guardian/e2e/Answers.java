package dev.guardian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.service.api.ProblemTypes;
import dev.guardian.service.testsupport.AgentClient;
import java.math.BigDecimal;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reads the parts of Guardian's JSON answers the scenarios assert on. */
final class Answers {
    static final String POLICY_DENIED = ProblemTypes.POLICY_DENIED.toString();
    static final String CHAIN_UNAVAILABLE = ProblemTypes.CHAIN_UNAVAILABLE.toString();
    static final String IDEMPOTENCY_KEY_REUSED = ProblemTypes.IDEMPOTENCY_KEY_REUSED.toString();
    static final String PROBLEM_JSON = "application/problem+json";

    private Answers() {}

    /** A reason as an agent reads it: which rule, what it decided, about which address. */
    record SeenReason(String ruleId, String verdict, String subject) {}

    /** A simulated effect as an agent reads it. */
    record SeenEffect(String type, String asset, String amount, String from, String to) {}

    static List<SeenReason> reasons(AgentClient.Response response) {
        return elements(response.body(), "reasons").stream()
                .map(r -> new SeenReason(text(r, "ruleId"), text(r, "verdict"), text(r, "subject")))
                .toList();
    }

    static List<SeenEffect> effects(AgentClient.Response response) {
        return elements(response.body(), "effects").stream()
                .map(e -> new SeenEffect(
                        text(e, "type"), text(e, "asset"), text(e, "amount"), text(e, "from"), text(e, "to")))
                .toList();
    }

    /** The figures of the one reason with {@code ruleId}; fails if there is not exactly one. */
    static JsonNode figuresOf(AgentClient.Response response, String ruleId) {
        List<JsonNode> matching = elements(response.body(), "reasons").stream()
                .filter(r -> ruleId.equals(text(r, "ruleId")))
                .toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected exactly one " + ruleId + " reason in "
                    + response.raw().body());
        }
        JsonNode figures = matching.getFirst().get("figures");
        if (figures == null || figures.isNull()) {
            throw new AssertionError("the " + ruleId + " reason has no figures: "
                    + response.raw().body());
        }
        return figures;
    }

    /**
     * The agent's USDC budget holds exactly {@code held} and {@code committed} (whole units), and what it
     * says remains is the limit less both.
     */
    static void assertUsdcBudget(AgentClient agent, String held, String committed) {
        JsonNode budget = usdcBudget(agent);
        assertThat(text(budget, "held")).as("held").isEqualTo(held);
        assertThat(text(budget, "committed")).as("committed").isEqualTo(committed);
        BigDecimal remaining = new BigDecimal(text(budget, "limit"))
                .subtract(new BigDecimal(held))
                .subtract(new BigDecimal(committed));
        assertThat(new BigDecimal(text(budget, "remaining")))
                .as("remaining")
                .isEqualByComparingTo(remaining.max(BigDecimal.ZERO));
    }

    /** The one USDC window of GET /v1/budget. */
    static JsonNode usdcBudget(AgentClient agent) {
        AgentClient.Response budget = agent.budget();
        if (budget.status() != 200) {
            throw new AssertionError("GET /v1/budget answered " + budget.status() + ": "
                    + budget.raw().body());
        }
        return elements(budget.body(), "budgets").stream()
                .filter(b -> "USDC".equals(text(b, "asset")))
                .findFirst()
                .orElseThrow(() ->
                        new AssertionError("no USDC budget in " + budget.raw().body()));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    static List<JsonNode> elements(JsonNode body, String field) {
        JsonNode array = body == null ? null : body.get(field);
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new AssertionError(field + " is not an array: " + body);
        }
        return List.copyOf(array.values());
    }
}
