package dev.guardian.service.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.rules.AllowlistEntry;
import dev.guardian.policy.rules.BudgetPeriod;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.TransactionCountLimit;
import dev.guardian.policy.rules.WindowBudget;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyDocumentsTest {
    static final Address USDC_CONTRACT = Address.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    static final Asset.Erc20 USDC = new Asset.Erc20(USDC_CONTRACT, "USDC", 6);
    static final Asset.Native ETH = Asset.ether();
    /** EIP-55's own example addresses (checksummed). */
    static final String ACME = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    static final String GLOBEX = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";

    private final PolicyDocuments documents = new PolicyDocuments(new AssetRegistry(ETH, List.of(USDC)));

    static final String FULL_YAML = """
            perTransaction:
              USDC: { escalateAbove: "100", max: "1000" }
            budgets:
              - { asset: USDC, limit: "500", window: 24h }
              - { asset: USDC, limit: "5000", period: month }
            timeZone: Europe/Zurich
            transactionCounts:
              - { max: 100, window: 1h }
            allowlist:
              - address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
                label: "Acme API"
                expiresAt: "2027-01-01T00:00:00Z"
                limits: [ { asset: USDC, limit: "200", window: 24h } ]
            approvals:
              deadline: 12h
              quorum: [ { asset: USDC, above: "1000", approvals: 2 } ]
            """;

    static final String FULL_JSON = """
            {
              "perTransaction": {"USDC": {"escalateAbove": "100", "max": "1000"}},
              "budgets": [
                {"asset": "USDC", "limit": "500", "window": "24h"},
                {"asset": "USDC", "limit": "5000", "period": "month"}
              ],
              "timeZone": "Europe/Zurich",
              "transactionCounts": [{"max": 100, "window": "1h"}],
              "allowlist": [{
                "address": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                "label": "Acme API",
                "expiresAt": "2027-01-01T00:00:00Z",
                "limits": [{"asset": "USDC", "limit": "200", "window": "24h"}]
              }],
              "approvals": {"deadline": "12h", "quorum": [{"asset": "USDC", "above": "1000", "approvals": 2}]}
            }
            """;

    @Test
    void readsTheSamePolicyFromYamlAndFromJson() {
        PolicyDocument fromYaml = documents.parse(bytes(FULL_YAML), true);
        PolicyDocument fromJson = documents.parse(bytes(FULL_JSON), false);

        assertThat(fromYaml).isEqualTo(fromJson);
        assertThat(documents.toJson(fromYaml)).isEqualTo(documents.toJson(fromJson));
        assertThat(documents.toPolicy(fromYaml, "3")).isEqualTo(documents.toPolicy(fromJson, "3"));
    }

    @Test
    void turnsEveryPartOfTheDocumentIntoTheDomainPolicy() {
        Policy policy = documents.toPolicy(documents.parse(bytes(FULL_YAML), true), "3");
        ZoneId zurich = ZoneId.of("Europe/Zurich");

        assertThat(policy.version()).isEqualTo("3");
        assertThat(policy.perTransactionCaps()).containsExactly(Map.entry(USDC, usdc("100")));
        assertThat(policy.perTransactionLimits()).containsExactly(Map.entry(USDC, usdc("1000")));
        assertThat(policy.budgets())
                .containsExactly(
                        new WindowBudget(usdc("500"), Duration.ofHours(24)),
                        new WindowBudget(
                                usdc("5000"), new BudgetPeriod.Calendar(BudgetPeriod.Calendar.Unit.MONTH, zurich)));
        assertThat(policy.transactionCounts())
                .containsExactly(new TransactionCountLimit(100, new BudgetPeriod.Rolling(Duration.ofHours(1))));
        assertThat(policy.allowlist())
                .containsExactly(Map.entry(
                        Address.parse(ACME),
                        new AllowlistEntry(
                                "Acme API",
                                Optional.of(Instant.parse("2027-01-01T00:00:00Z")),
                                List.of(new WindowBudget(usdc("200"), Duration.ofHours(24))))));
        assertThat(policy.approvals().deadline()).isEqualTo(Duration.ofHours(12));
        assertThat(policy.approvals().steps())
                .extracting(s -> s.above(), s -> s.approvals())
                .containsExactly(tuple(usdc("1000"), 2));
    }

    @Test
    void spellsOutEveryDefaultInTheCanonicalForm() {
        PolicyDocument canonical = documents.parse(bytes("perTransaction: { USDC: { max: \"10\" } }"), true);

        assertThat(documents.toJson(canonical)).isEqualTo("""
                {"perTransaction":{"USDC":{"max":"10"}},"budgets":[],"timeZone":"UTC","transactionCounts":[],"allowlist":[],\
                "approvals":{"deadline":"24h","quorum":[]}}""");
        Policy policy = documents.toPolicy(canonical, "1");
        assertThat(policy.approvals().deadline()).isEqualTo(Duration.ofHours(24));
        assertThat(policy.perTransactionCaps()).isEmpty();
    }

    @Test
    void checksumsAddressesAndOrdersAssetsInTheCanonicalForm() {
        PolicyDocument canonical = documents.parse(bytes("""
                {"perTransaction": {"USDC": {"max": "1"}, "ETH": {"max": "2"}},
                 "budgets": [{"asset": "USDC", "limit": "1", "period": "WEEK"}],
                 "allowlist": [{"address": "%s", "label": "Acme", "expiresAt": "2027-01-01T01:00:00+01:00"}]}
                """.formatted(ACME.toLowerCase())), false);

        assertThat(canonical.perTransaction().keySet()).containsExactly("ETH", "USDC");
        assertThat(canonical.budgets().getFirst().period()).isEqualTo("week");
        assertThat(canonical.allowlist().getFirst().address()).isEqualTo(ACME);
        assertThat(canonical.allowlist().getFirst().expiresAt()).isEqualTo("2027-01-01T00:00:00Z");
    }

    @Test
    void readsNumbersAsTheirExactDigitsNeverThroughDouble() {
        // 0.1 + 0.2 style: as a double, 1000000.000001 is not exactly representable.
        PolicyDocument json = documents.parse(bytes("""
                {"budgets": [{"asset": "USDC", "limit": 1000000.000001, "window": "1d"},
                             {"asset": "ETH", "limit": 1.000000000000000001, "window": "1d"}]}
                """), false);
        PolicyDocument yaml =
                documents.parse(bytes("budgets: [ { asset: USDC, limit: 1000000.000001, window: 1d } ]"), true);

        Policy policy = documents.toPolicy(json, "1");
        assertThat(policy.budgets())
                .extracting(b -> b.limit().units())
                .containsExactly(BigInteger.valueOf(1_000_000_000_001L), new BigInteger("1000000000000000001"));
        assertThat(json.budgets().getFirst().limit()).isEqualTo("1000000.000001");
        assertThat(documents.toPolicy(yaml, "1").budgets().getFirst().limit().units())
                .isEqualTo(BigInteger.valueOf(1_000_000_000_001L));
    }

    @Test
    void readsAnUnquotedYamlAddressAsWrittenAndStillChecksItsChecksum() {
        PolicyDocument good = documents.parse(bytes("allowlist: [ { address: " + ACME + ", label: Acme } ]"), true);
        assertThat(good.allowlist().getFirst().address()).isEqualTo(ACME);

        String wrongCase = ACME.replace("aAeb", "AAeb");
        assertThat(problems("allowlist: [ { address: " + wrongCase + ", label: Acme } ]", true))
                .containsExactly(tuple("/allowlist/0/address", "address checksum (EIP-55) is wrong; expected " + ACME));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            bad amount           | {"budgets": [{"asset": "USDC", "limit": "12,50", "window": "24h"}]}                         | /budgets/0/limit             | an amount is a plain decimal number such as 12.50
            too many decimals    | {"budgets": [{"asset": "USDC", "limit": "1.0000001", "window": "24h"}]}                     | /budgets/0/limit             | USDC has 6 decimal places; 1.0000001 has more
            negative amount      | {"perTransaction": {"USDC": {"max": -5}}}                                                    | /perTransaction/USDC/max     | must not be negative
            above uint256        | {"perTransaction": {"ETH": {"max": "200000000000000000000000000000000000000000000000000000000000000000000000000000"}}} | /perTransaction/ETH/max | an amount cannot exceed 2^256-1 units
            amount as a list     | {"perTransaction": {"USDC": {"escalateAbove": "1", "max": [1]}}}                            | /perTransaction/USDC/max     | must be a decimal amount in whole units, such as "12.50"
            unknown asset        | {"budgets": [{"asset": "DAI", "limit": "1", "window": "24h"}]}                               | /budgets/0/asset             | unknown asset 'DAI'; known: ETH, USDC
            unknown asset key    | {"perTransaction": {"DAI": {"max": "1"}}}                                                    | /perTransaction/DAI          | unknown asset 'DAI'; known: ETH, USDC
            unknown field        | {"budgets": [{"asset": "USDC", "limit": "1", "window": "24h", "windw": "1h"}]}              | /budgets/0/windw             | unknown field 'windw'
            unknown top field    | {"budget": []}                                                                              | /budget                      | unknown field 'budget'
            window and period    | {"budgets": [{"asset": "USDC", "limit": "1", "window": "24h", "period": "day"}]}            | /budgets/0                   | give exactly one of window (rolling, e.g. 24h) or period (calendar: day, week or month)
            neither window nor period | {"transactionCounts": [{"max": 5}]}                                                      | /transactionCounts/0         | give exactly one of window (rolling, e.g. 24h) or period (calendar: day, week or month)
            bad window           | {"budgets": [{"asset": "USDC", "limit": "1", "window": "24 hours"}]}                        | /budgets/0/window            | must be a duration such as 30m, 24h or 7d (minutes, hours or days)
            window too long      | {"budgets": [{"asset": "USDC", "limit": "1", "window": "367d"}]}                            | /budgets/0/window            | must be between 1m and 366d
            bad period           | {"budgets": [{"asset": "USDC", "limit": "1", "period": "year"}]}                            | /budgets/0/period            | must be day, week or month
            bad zone             | {"timeZone": "Mars/Olympus_Mons"}                                                            | /timeZone                    | unknown time zone 'Mars/Olympus_Mons'; use an IANA zone such as Europe/Zurich, or UTC
            bad checksum         | {"allowlist": [{"address": "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "label": "x"}]}    | /allowlist/0/address         | address checksum (EIP-55) is wrong; expected 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed
            short address        | {"allowlist": [{"address": "0x1234", "label": "x"}]}                                        | /allowlist/0/address         | an address is 0x followed by 40 hex digits
            duplicate address    | {"allowlist": [{"address": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "label": "a"}, {"address": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "label": "b"}]} | /allowlist/1/address | is listed twice: also at /allowlist/0
            blank label          | {"allowlist": [{"address": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "label": " "}]}    | /allowlist/0/label           | must not be blank
            long label           | {"allowlist": [{"address": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "label": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}]} | /allowlist/0/label | size must be between 0 and 100
            bad expiry           | {"allowlist": [{"address": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "label": "a", "expiresAt": "next year"}]} | /allowlist/0/expiresAt | must be an ISO-8601 instant such as 2027-01-01T00:00:00Z
            quorum 11            | {"approvals": {"quorum": [{"asset": "USDC", "above": "1000", "approvals": 11}]}}            | /approvals/quorum/0/approvals | must be less than or equal to 10
            quorum 0             | {"approvals": {"quorum": [{"asset": "USDC", "above": "1000", "approvals": 0}]}}             | /approvals/quorum/0/approvals | must be greater than or equal to 1
            fractional count     | {"transactionCounts": [{"max": 1.5, "window": "1h"}]}                                        | /transactionCounts/0/max     | must be a whole number
            deadline too long    | {"approvals": {"deadline": "31d"}}                                                          | /approvals/deadline          | must be between 1m and 30d
            list for an object   | {"perTransaction": [1]}                                                                     | /perTransaction              | must be an object (a mapping of fields)
            missing limit        | {"budgets": [{"asset": "USDC", "window": "1h"}]}                                             | /budgets/0/limit             | must not be null
            null budget          | {"budgets": [null]}                                                                         | /budgets/0                   | must not be null
            no limit at all      | {"perTransaction": {"USDC": {}}}                                                            | /perTransaction/USDC         | give escalateAbove (escalate above it), max (deny above it) or both
            threshold above max  | {"perTransaction": {"USDC": {"escalateAbove": "10", "max": "5"}}}                           | /perTransaction/USDC/escalateAbove | is above max (5): requests above max are denied, so this threshold would never escalate anything
            same budget twice    | {"budgets": [{"asset": "USDC", "limit": "1", "window": "24h"}, {"asset": "USDC", "limit": "2", "window": "1d"}]} | /budgets/1 | the same asset and period as /budgets/0; one budget per asset and period
            same count twice     | {"transactionCounts": [{"max": 1, "period": "day"}, {"max": 2, "period": "DAY"}]}           | /transactionCounts/1         | counts over the same period as /transactionCounts/0; one limit per period
            same quorum twice    | {"approvals": {"quorum": [{"asset": "USDC", "above": "1", "approvals": 2}, {"asset": "USDC", "above": "1.0", "approvals": 3}]}} | /approvals/quorum/1 | the same asset and amount as /approvals/quorum/0; one step per threshold
            same cap twice       | {"allowlist": [{"address": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "label": "a", "limits": [{"asset": "USDC", "limit": "1", "period": "day"}, {"asset": "USDC", "limit": "1", "period": "day"}]}]} | /allowlist/0/limits/1 | the same asset and period as /allowlist/0/limits/0; one budget per asset and period
            a key with a slash   | {"perTransaction": {"a/b~c": {"max": "1"}}}                                                  | /perTransaction/a~1b~0c      | unknown asset 'a/b~c'; known: ETH, USDC
            not an object        | [1, 2]                                                                                      | ``                           | must be an object (a mapping of fields)
            """)
    void pointsAtTheFieldThatIsWrong(String what, String json, String pointer, String message) {
        assertThat(problems(json, false)).as(what).containsExactly(tuple(pointer, message));
    }

    @Test
    void reportsEveryProblemOfADocumentAtOnce() {
        InvalidPolicyException e =
                catchThrowableOfType(InvalidPolicyException.class, () -> documents.parse(bytes("""
                budgets:
                  - { asset: USDC, limit: "1.0000001", window: 24h, extra: 1 }
                  - { asset: DAI, limit: "1", window: 24h, period: day }
                timeZone: Nowhere/Special
                allowlist:
                  - { address: "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", label: "" }
                approvals: { quorum: [ { asset: USDC, above: "1", approvals: 11 } ] }
                """), true));

        assertThat(e.problems())
                .extracting(PolicyProblem::pointer)
                .containsExactly(
                        "/allowlist/0/address",
                        "/allowlist/0/label",
                        "/approvals/quorum/0/approvals",
                        "/budgets/0/extra",
                        "/budgets/0/limit",
                        "/budgets/1",
                        "/budgets/1/asset",
                        "/timeZone");
    }

    @Test
    void refusesADocumentThatIsNotJsonOrYamlAndSaysWhere() {
        InvalidPolicyException json = catchThrowableOfType(
                InvalidPolicyException.class, () -> documents.parse(bytes("{\"budgets\": [}"), false));
        InvalidPolicyException yaml = catchThrowableOfType(
                InvalidPolicyException.class,
                () -> documents.parse(bytes("budgets:\n  - asset: USDC\n  limit: [\n"), true));
        InvalidPolicyException twice = catchThrowableOfType(
                InvalidPolicyException.class,
                () -> documents.parse(bytes("{\"timeZone\": \"UTC\", \"timeZone\": \"UTC\"}"), false));

        assertThat(json.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("not valid JSON at line 1"));
        assertThat(yaml.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("not valid YAML"));
        assertThat(twice.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("a key appears twice"));
        assertThat(problems("", false))
                .containsExactly(tuple("", "the document is empty; a policy is an object (a mapping of fields)"));
        assertThat(problems("# nothing but a comment\n", true))
                .containsExactly(tuple("", "the document is empty; a policy is an object (a mapping of fields)"));
    }

    @Test
    void writesYamlThatReadsBackAsTheSameDocument() {
        PolicyDocument document = documents.parse(bytes(FULL_JSON), false);

        String yaml = documents.toYaml(document);

        assertThat(yaml).contains("address: \"" + ACME + "\"");
        assertThat(documents.parse(bytes(yaml), true)).isEqualTo(document);
    }

    @Test
    void keepsConfiguredAgentsWorkingWithTheSameLimits() {
        ConfiguredPolicy configured = new ConfiguredPolicy(
                null,
                Map.of("USDC", "100"),
                List.of(
                        new ConfiguredPolicy.Budget("USDC", "500", Duration.ofHours(24)),
                        new ConfiguredPolicy.Budget("ETH", "1", Duration.ofMinutes(90))),
                List.of(
                        new ConfiguredPolicy.AllowlistEntry(ACME, "", null),
                        new ConfiguredPolicy.AllowlistEntry(GLOBEX, "Globex", null)),
                new ConfiguredPolicy.Approvals(
                        Duration.ofHours(2), List.of(new ConfiguredPolicy.QuorumStep("USDC", "1000", 2))),
                null);

        PolicyDocument document = documents.fromConfiguration(configured);
        Policy policy = documents.toPolicy(document, "1");

        assertThat(document.perTransaction().get("USDC").escalateAbove()).isEqualTo("100");
        assertThat(document.budgets()).extracting(PolicyDocument.Budget::window).containsExactly("1d", "90m");
        assertThat(document.approvals().deadline()).isEqualTo("2h");
        assertThat(policy.perTransactionCaps()).containsExactly(Map.entry(USDC, usdc("100")));
        assertThat(policy.perTransactionLimits()).isEmpty();
        assertThat(policy.budgets()).contains(new WindowBudget(usdc("500"), Duration.ofHours(24)));
        assertThat(policy.allowlist().get(Address.parse(ACME)).label()).isEqualTo(ACME);
        assertThat(policy.allowlist().get(Address.parse(GLOBEX)).label()).isEqualTo("Globex");
        assertThat(policy.approvals().required(Map.of(USDC, usdc("1000.01")))).isEqualTo(2);
    }

    @Test
    void refusesAConfiguredPolicyThatIsNotValidNamingTheField() {
        ConfiguredPolicy configured = new ConfiguredPolicy(
                null,
                Map.of("DAI", "100"),
                List.of(),
                List.of(),
                new ConfiguredPolicy.Approvals(Duration.ofHours(24), List.of()),
                null);

        assertThatThrownBy(() -> documents.fromConfiguration(configured))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/perTransaction/DAI: unknown asset 'DAI'");
    }

    @Test
    void saysWhetherTwoDocumentsMeanTheSame() {
        PolicyDocument spelledOut =
                documents.parse(bytes("{\"timeZone\": \"UTC\", \"approvals\": {\"deadline\": \"24h\"}}"), false);
        PolicyDocument empty = documents.parse(bytes("{}"), false);
        PolicyDocument other = documents.parse(bytes("{\"timeZone\": \"Europe/Zurich\"}"), false);

        assertThat(documents.sameContent(spelledOut, empty)).isTrue();
        assertThat(documents.sameContent(spelledOut, other)).isFalse();
    }

    private List<Tuple> problems(String text, boolean yaml) {
        InvalidPolicyException e =
                catchThrowableOfType(InvalidPolicyException.class, () -> documents.parse(bytes(text), yaml));
        assertThat(e).as("the document is refused").isNotNull();
        return e.problems().stream().map(p -> tuple(p.pointer(), p.message())).toList();
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(USDC, amount);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
