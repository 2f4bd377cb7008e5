package dev.guardian.service.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PolicyChangeTest {
    private final PolicyDocuments documents =
            new PolicyDocuments(new AssetRegistry(Asset.ether(), List.of(PolicyDocumentsTest.USDC)));

    @Test
    void findsNoChangeBetweenDocumentsThatMeanTheSame() {
        assertThat(documents.diff(Optional.of(json("{}")), json("{\"timeZone\": \"UTC\"}")))
                .isEmpty();
    }

    @Test
    void namesEachChangedFieldByItsPointerWithTheValuesBeforeAndAfter() {
        PolicyDocument before = json("""
                {"perTransaction": {"USDC": {"escalateAbove": "100"}},
                 "budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}, {"asset": "ETH", "limit": "1", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "Acme"}]}
                """.formatted(PolicyDocumentsTest.ACME));
        PolicyDocument after = json("""
                {"perTransaction": {"USDC": {"escalateAbove": "100", "max": "1000"}},
                 "budgets": [{"asset": "USDC", "limit": "250", "window": "24h"}],
                 "timeZone": "Europe/Zurich",
                 "allowlist": [{"address": "%s", "label": "Acme"}, {"address": "%s", "label": "Globex"}]}
                """.formatted(PolicyDocumentsTest.ACME, PolicyDocumentsTest.GLOBEX));

        List<PolicyChange> diff = documents.diff(Optional.of(before), after);

        assertThat(diff)
                .extracting(PolicyChange::op, PolicyChange::path, PolicyChange::from, PolicyChange::to)
                .containsExactly(
                        tuple("add", "/perTransaction/USDC/max", null, "1000"),
                        tuple("replace", "/budgets/0/limit", "500", "250"),
                        tuple("remove", "/budgets/1", Map.of("asset", "ETH", "limit", "1", "window", "24h"), null),
                        tuple("replace", "/timeZone", "UTC", "Europe/Zurich"),
                        tuple(
                                "add",
                                "/allowlist/1",
                                null,
                                Map.of("address", PolicyDocumentsTest.GLOBEX, "label", "Globex", "limits", List.of())));
    }

    @Test
    void listsEveryFieldAsAnAdditionWhenNothingWasActive() {
        List<PolicyChange> diff = documents.diff(Optional.empty(), json("{}"));

        assertThat(diff).extracting(PolicyChange::op).containsOnly("add");
        assertThat(diff)
                .extracting(PolicyChange::path)
                .containsExactly(
                        "/perTransaction", "/budgets", "/timeZone", "/transactionCounts", "/allowlist", "/approvals");
    }

    @Test
    void removesTrailingListElementsFromTheLastSoThePatchAppliesInOrder() {
        JsonMapper mapper = JsonMapper.builder().build();
        JsonNode before = mapper.readTree("{\"xs\": [1, 2, 3, 4]}");
        JsonNode after = mapper.readTree("{\"xs\": [1, 5]}");

        assertThat(PolicyChange.between(before, after, mapper))
                .extracting(PolicyChange::op, PolicyChange::path)
                .containsExactly(tuple("replace", "/xs/1"), tuple("remove", "/xs/3"), tuple("remove", "/xs/2"));
    }

    @Test
    void replacesAValueWholeWhenItsKindChanges() {
        JsonMapper mapper = JsonMapper.builder().build();

        assertThat(PolicyChange.between(
                        mapper.readTree("{\"a\": [1]}"), mapper.readTree("{\"a\": {\"b\": 1}}"), mapper))
                .containsExactly(new PolicyChange("replace", "/a", List.of(1), Map.of("b", 1)));
    }

    private PolicyDocument json(String text) {
        return documents.parse(text.getBytes(StandardCharsets.UTF_8), false);
    }
}
