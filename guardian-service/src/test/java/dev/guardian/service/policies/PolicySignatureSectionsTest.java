package dev.guardian.service.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.SignatureRules;
import dev.guardian.policy.rules.SignatureTerms;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The {@code signatures} and {@code x402} sections of a policy document, and of a configured policy. */
class PolicySignatureSectionsTest {
    static final Asset.Erc20 USDC = PolicyDocumentsTest.USDC;
    static final Asset.Native ETH = PolicyDocumentsTest.ETH;
    static final String LOGIN_CONTRACT = PolicyDocumentsTest.ACME;

    private final PolicyDocuments documents = new PolicyDocuments(new AssetRegistry(ETH, List.of(USDC)));

    static final String SECTIONS_JSON = """
            {
              "signatures": {
                "maxValidity": "PT5M",
                "messages": [
                  {"domain": "login.example", "chainId": 8453, "primaryType": "Login", "type": "Login(string user)"},
                  {"domain": "Vote", "version": "1", "verifyingContract": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "primaryType": "Ballot", "type": "Ballot(uint256 choice)"}
                ]
              },
              "x402": {
                "origins": ["https://API.example.com:443", "http://localhost:4021/"],
                "maxPerRequest": {"USDC": "1.00", "ETH": 0.0001}
              }
            }
            """;

    static final String SECTIONS_YAML = """
            signatures:
              maxValidity: pt300s
              messages:
                - { domain: login.example, chainId: "8453", primaryType: Login, type: "Login(string user)" }
                - { domain: Vote, version: "1", verifyingContract: 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed, primaryType: Ballot, type: "Ballot(uint256 choice)" }
            x402:
              origins: [ "https://api.example.com", "http://LOCALHOST:4021" ]
              maxPerRequest: { ETH: "0.0001", USDC: "1.00" }
            """;

    @Test
    void turnsBothSectionsIntoTheSignatureRulesOfThePolicy() {
        Policy policy = documents.toPolicy(documents.parse(bytes(SECTIONS_JSON), false), "7");

        assertThat(policy.signatures())
                .isEqualTo(new SignatureRules(
                        Duration.ofMinutes(5),
                        List.of(
                                new SignatureRules.AllowedMessage(
                                        "login.example",
                                        Optional.empty(),
                                        Optional.of(BigInteger.valueOf(8453)),
                                        Optional.empty(),
                                        "Login",
                                        "Login(string user)"),
                                new SignatureRules.AllowedMessage(
                                        "Vote",
                                        Optional.of("1"),
                                        Optional.empty(),
                                        Optional.of(Address.parse(LOGIN_CONTRACT)),
                                        "Ballot",
                                        "Ballot(uint256 choice)")),
                        new SignatureRules.X402Rules(
                                List.of("https://api.example.com", "http://localhost:4021"),
                                Map.of(
                                        USDC, TokenAmount.parse(USDC, "1"),
                                        ETH, TokenAmount.parse(ETH, "0.0001")))));
        assertThat(policy.signatures()
                        .allows(message("login.example", Optional.of(8453L), Optional.empty(), "Login(string user)")))
                .isTrue();
        assertThat(policy.signatures()
                        .allows(message(
                                "login.example", Optional.of(8453L), Optional.empty(), "Transfer(string user)")))
                .isFalse();
        assertThat(policy.signatures()
                        .allows(message(
                                "login.example",
                                Optional.of(8453L),
                                Optional.empty(),
                                "Login(string user,address to)")))
                .as("the whole type must match")
                .isFalse();
        assertThat(policy.signatures()
                        .allows(message("login.example", Optional.of(1L), Optional.empty(), "Login(string user)")))
                .as("a listed chain must match")
                .isFalse();
        assertThat(policy.signatures()
                        .allows(message("Vote", Optional.empty(), Optional.empty(), "Ballot(uint256 choice)")))
                .as("a listed version and contract must match")
                .isFalse();
    }

    @Test
    void readsTheSameSectionsFromYamlAndFromJsonInOneCanonicalForm() {
        PolicyDocument fromJson = documents.parse(bytes(SECTIONS_JSON), false);
        PolicyDocument fromYaml = documents.parse(bytes(SECTIONS_YAML), true);

        assertThat(fromYaml).isEqualTo(fromJson);
        assertThat(fromJson.signatures().maxValidity()).isEqualTo("PT5M");
        assertThat(fromJson.signatures().messages().get(1).verifyingContract()).isEqualTo(LOGIN_CONTRACT);
        assertThat(fromJson.signatures().messages().get(0).chainId()).isEqualTo(8453L);
        assertThat(fromJson.x402().origins()).containsExactly("https://api.example.com", "http://localhost:4021");
        assertThat(fromJson.x402().maxPerRequest().keySet()).containsExactly("ETH", "USDC");
        assertThat(documents.toJson(fromJson))
                .contains("\"x402\":{\"origins\":[\"https://api.example.com\",\"http://localhost:4021\"],"
                        + "\"maxPerRequest\":{\"ETH\":\"0.0001\",\"USDC\":\"1.00\"}}");
    }

    @Test
    void writesYamlThatReadsBackAsTheSameSections() {
        PolicyDocument document = documents.parse(bytes(SECTIONS_JSON), false);

        String yaml = documents.toYaml(document);

        assertThat(yaml).contains("maxValidity: \"PT5M\"").contains("- \"https://api.example.com\"");
        assertThat(documents.parse(bytes(yaml), true)).isEqualTo(document);
        assertThat(documents.toPolicy(documents.parse(bytes(yaml), true), "1").signatures())
                .isEqualTo(documents.toPolicy(document, "1").signatures());
    }

    @Test
    void takesTheDefaultsWhenTheSectionsAreAbsentAndStoresNothingForThem() {
        PolicyDocument empty = documents.parse(bytes("{}"), false);

        assertThat(documents.toPolicy(empty, "1").signatures()).isEqualTo(SignatureRules.defaults());
        assertThat(documents.toJson(empty)).doesNotContain("signatures").doesNotContain("x402");
        assertThat(documents
                        .toPolicy(documents.parse(bytes("{\"signatures\": {}, \"x402\": {}}"), false), "1")
                        .signatures())
                .isEqualTo(SignatureRules.defaults());
    }

    @Test
    void writesWholeDaysAsDaysAndEverythingElseAsJavaDoes() {
        assertThat(maxValidityOf("P7D")).isEqualTo("P7D");
        assertThat(maxValidityOf("PT168H")).isEqualTo("P7D");
        assertThat(maxValidityOf("PT90M")).isEqualTo("PT1H30M");
        assertThat(maxValidityOf("PT30S")).isEqualTo("PT30S");
        assertThat(maxValidityOf(" PT10M ")).isEqualTo("PT10M");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not ISO-8601         | {"signatures": {"maxValidity": "10m"}}                                  | /signatures/maxValidity | must be an ISO-8601 duration such as PT10M, PT2H or P1D
            a number             | {"signatures": {"maxValidity": 600}}                                    | /signatures/maxValidity | must be an ISO-8601 duration such as PT10M, PT2H or P1D
            zero                 | {"signatures": {"maxValidity": "PT0S"}}                                 | /signatures/maxValidity | must be positive
            negative             | {"signatures": {"maxValidity": "-PT5M"}}                                | /signatures/maxValidity | must be positive
            fraction of a second | {"signatures": {"maxValidity": "PT0.5S"}}                               | /signatures/maxValidity | must be a whole number of seconds (signatures expire at a block's second)
            too long             | {"signatures": {"maxValidity": "PT168H1S"}}                             | /signatures/maxValidity | must be at most P7D (seven days)
            unknown field        | {"signatures": {"maxValidty": "PT5M"}}                                  | /signatures/maxValidty  | unknown field 'maxValidty'
            messages not a list  | {"signatures": {"messages": {"domain": "a"}}}                           | /signatures/messages    | must be a list
            null message         | {"signatures": {"messages": [null]}}                                    | /signatures/messages/0  | must not be null
            no domain            | {"signatures": {"messages": [{"primaryType": "Login", "type": "Login()"}]}}                | /signatures/messages/0/domain | must not be blank
            blank domain         | {"signatures": {"messages": [{"domain": " ", "primaryType": "Login", "type": "Login()"}]}} | /signatures/messages/0/domain | must not be blank
            padded domain        | {"signatures": {"messages": [{"domain": "login.example ", "primaryType": "Login", "type": "Login()"}]}} | /signatures/messages/0/domain | must not begin or end with whitespace: the domain's name is matched exactly
            no type name         | {"signatures": {"messages": [{"domain": "login.example", "type": "Login(string user)"}]}} | /signatures/messages/0/primaryType | must not be blank
            no encoded type      | {"signatures": {"messages": [{"domain": "login.example", "primaryType": "Login"}]}} | /signatures/messages/0/type | must not be blank
            bad type             | {"signatures": {"messages": [{"domain": "login.example", "primaryType": "Login(address who)", "type": "Login(address who)"}]}} | /signatures/messages/0/primaryType | must be an EIP-712 type name such as Login: letters, digits, _ and $, not starting with a digit
            type from a digit    | {"signatures": {"messages": [{"domain": "login.example", "primaryType": "1Login", "type": "Login(string user)"}]}} | /signatures/messages/0/primaryType | must be an EIP-712 type name such as Login: letters, digits, _ and $, not starting with a digit
            another type's encoding | {"signatures": {"messages": [{"domain": "login.example", "primaryType": "Login", "type": "Logout(string user)"}]}} | /signatures/messages/0/type | is the encoding of Logout, not of the primaryType Login
            encoding with spaces | {"signatures": {"messages": [{"domain": "login.example", "primaryType": "Login", "type": "Login(string user, uint256 at)"}]}} | /signatures/messages/0/type | must be the type's whole EIP-712 encoding, such as Login(string user,uint256 issuedAt): Login: ' uint256 at' is not a member: its type, one space, its name
            padded version       | {"signatures": {"messages": [{"domain": "a", "version": " 1", "primaryType": "Login", "type": "Login(string user)"}]}} | /signatures/messages/0/version | must not be blank or begin or end with whitespace: the domain's version is matched exactly; leave it out for a domain without one
            chain id zero        | {"signatures": {"messages": [{"domain": "a", "chainId": 0, "primaryType": "Login", "type": "Login(string user)"}]}} | /signatures/messages/0/chainId | must be a chain id: a whole number from 1, such as 8453
            chain id a fraction  | {"signatures": {"messages": [{"domain": "a", "chainId": 1.5, "primaryType": "Login", "type": "Login(string user)"}]}} | /signatures/messages/0/chainId | must be a chain id: a whole number from 1, such as 8453
            bad contract         | {"signatures": {"messages": [{"domain": "a", "verifyingContract": "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "primaryType": "Login", "type": "Login(string user)"}]}} | /signatures/messages/0/verifyingContract | address checksum (EIP-55) is wrong; expected 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed
            contract not text    | {"signatures": {"messages": [{"domain": "a", "verifyingContract": [1], "primaryType": "Login", "type": "Login(string user)"}]}} | /signatures/messages/0/verifyingContract | must be an address: 0x followed by 40 hex digits
            unknown message field | {"signatures": {"messages": [{"domain": "a", "primaryType": "Login", "type": "Login(string user)", "name": "a"}]}} | /signatures/messages/0/name | unknown field 'name'
            same message twice   | {"signatures": {"messages": [{"domain": "a", "primaryType": "Login", "type": "Login(string user)"}, {"domain": "a", "primaryType": "Login", "type": "Login(string user)"}]}} | /signatures/messages/1 | the same domain and type as /signatures/messages/0; list each once
            same contract twice  | {"signatures": {"messages": [{"domain": "a", "verifyingContract": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "primaryType": "Login", "type": "Login(string user)"}, {"domain": "a", "verifyingContract": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "primaryType": "Login", "type": "Login(string user)"}]}} | /signatures/messages/1 | the same domain and type as /signatures/messages/0; list each once
            section not an object | {"signatures": ["PT5M"]}                                              | /signatures             | must be an object (a mapping of fields)
            http elsewhere       | {"x402": {"origins": ["http://api.example.com"]}}                        | /x402/origins/0         | an x402 origin must use https (http only for localhost or 127.0.0.1, for a server on this machine)
            a path               | {"x402": {"origins": ["https://api.example.com/v1"]}}                    | /x402/origins/0         | an x402 origin has no path, query or fragment: scheme, host and optional port only
            a wildcard           | {"x402": {"origins": ["https://*.example.com"]}}                         | /x402/origins/0         | an x402 origin must not be a wildcard: list each origin the agent may pay
            user info            | {"x402": {"origins": ["https://me@api.example.com"]}}                    | /x402/origins/0         | an x402 origin must not carry user info (user:password@)
            whitespace           | {"x402": {"origins": [" https://api.example.com"]}}                      | /x402/origins/0         | an x402 origin must not contain whitespace or control characters
            IDN                  | {"x402": {"origins": ["https://bücher.example"]}}                        | /x402/origins/0         | an x402 origin must be ASCII: write an internationalised host in its punycode (xn--) form and percent-encode the rest
            same origin twice    | {"x402": {"origins": ["https://api.example.com", "HTTPS://api.example.com:443"]}} | /x402/origins/1 | is the same origin (https://api.example.com) as /x402/origins/0
            null origin          | {"x402": {"origins": [null]}}                                            | /x402/origins/0         | must not be null
            origins not a list   | {"x402": {"origins": "https://api.example.com"}}                         | /x402/origins           | must be a list
            unknown asset        | {"x402": {"maxPerRequest": {"DAI": "1"}}}                                | /x402/maxPerRequest/DAI | unknown asset 'DAI'; known: ETH, USDC
            too many decimals    | {"x402": {"maxPerRequest": {"USDC": "0.0000001"}}}                       | /x402/maxPerRequest/USDC | USDC has 6 decimal places; 0.0000001 has more
            negative price       | {"x402": {"maxPerRequest": {"USDC": "-1"}}}                              | /x402/maxPerRequest/USDC | must not be negative
            zero price           | {"x402": {"maxPerRequest": {"USDC": "0.00"}}}                            | /x402/maxPerRequest/USDC | must be more than zero; leave the asset out to pay nothing in it
            price as a list      | {"x402": {"maxPerRequest": {"USDC": [1]}}}                               | /x402/maxPerRequest/USDC | must be a decimal amount in whole units, such as "12.50"
            null price           | {"x402": {"maxPerRequest": {"USDC": null}}}                              | /x402/maxPerRequest/USDC | must not be null
            unknown x402 field   | {"x402": {"origin": ["https://api.example.com"]}}                        | /x402/origin            | unknown field 'origin'
            """)
    void pointsAtTheFieldThatIsWrong(String what, String json, String pointer, String message) {
        assertThat(problems(json)).as(what).containsExactly(tuple(pointer, message));
    }

    @Test
    void reportsEveryProblemOfBothSectionsAtOnce() {
        assertThat(problems("""
                        {"signatures": {"maxValidity": "P8D", "messages": [{"domain": "", "primaryType": "1", "type": "Login()"}]},
                         "x402": {"origins": ["https://a.example/x", "ftp://b.example"], "maxPerRequest": {"DOGE": "1"}, "colour": 1}}
                        """))
                .extracting(t -> t.toList().getFirst())
                .containsExactly(
                        "/signatures/maxValidity",
                        "/signatures/messages/0/domain",
                        "/signatures/messages/0/primaryType",
                        "/x402/colour",
                        "/x402/maxPerRequest/DOGE",
                        "/x402/origins/0",
                        "/x402/origins/1");
    }

    @Test
    void showsWhatChangesInTheSectionsInTheDiff() {
        PolicyDocument before = documents.parse(bytes(SECTIONS_JSON), false);
        PolicyDocument after = documents.parse(bytes("""
                {"signatures": {"maxValidity": "PT5M", "messages": [{"domain": "login.example", "chainId": 8453, "primaryType": "Login", "type": "Login(string user)"}]},
                 "x402": {"origins": ["https://api.example.com", "http://localhost:4021"], "maxPerRequest": {"USDC": "2.00", "ETH": "0.0001"}}}
                """), false);

        assertThat(documents.diff(Optional.of(before), after))
                .containsExactly(
                        new PolicyChange(
                                PolicyChange.REMOVE,
                                "/signatures/messages/1",
                                Map.of(
                                        "domain",
                                        "Vote",
                                        "version",
                                        "1",
                                        "verifyingContract",
                                        LOGIN_CONTRACT,
                                        "primaryType",
                                        "Ballot",
                                        "type",
                                        "Ballot(uint256 choice)"),
                                null),
                        new PolicyChange(PolicyChange.REPLACE, "/x402/maxPerRequest/USDC", "1.00", "2.00"));
        assertThat(documents.diff(Optional.of(documents.parse(bytes("{}"), false)), before))
                .extracting(PolicyChange::op, PolicyChange::path)
                .containsExactly(tuple(PolicyChange.ADD, "/signatures"), tuple(PolicyChange.ADD, "/x402"));
        assertThat(documents.sameContent(before, documents.parse(bytes(SECTIONS_YAML), true)))
                .isTrue();
    }

    @Test
    void keepsTheSectionsOfAConfiguredPolicy() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "policy.per-transaction-cap.USDC", "100",
                "policy.signatures.max-validity", "5m",
                "policy.signatures.messages[0].domain", "login.example",
                "policy.signatures.messages[0].verifying-contract", LOGIN_CONTRACT,
                "policy.signatures.messages[0].primary-type", "Login",
                "policy.signatures.messages[0].type", "Login(string user)",
                "policy.signatures.messages[0].chain-id", "8453",
                "policy.x402.origins[0]", "https://API.example.com:443",
                "policy.x402.max-per-request.USDC", "1.00")));

        ConfiguredPolicy configured =
                binder.bind("policy", ConfiguredPolicy.class).get();
        PolicyDocument document = documents.fromConfiguration(configured);
        Policy policy = documents.toPolicy(document, "1");

        assertThat(document.signatures().maxValidity()).isEqualTo("PT5M");
        assertThat(document.x402().origins()).containsExactly("https://api.example.com");
        assertThat(policy.signatures())
                .isEqualTo(new SignatureRules(
                        Duration.ofMinutes(5),
                        List.of(new SignatureRules.AllowedMessage(
                                "login.example",
                                Optional.empty(),
                                Optional.of(BigInteger.valueOf(8453)),
                                Optional.of(Address.parse(LOGIN_CONTRACT)),
                                "Login",
                                "Login(string user)")),
                        new SignatureRules.X402Rules(
                                List.of("https://api.example.com"), Map.of(USDC, TokenAmount.parse(USDC, "1")))));
        ConfiguredPolicy without = new Binder(
                        new MapConfigurationPropertySource(Map.of("policy.per-transaction-cap.USDC", "100")))
                .bind("policy", ConfiguredPolicy.class)
                .get();
        assertThat(documents.fromConfiguration(without).signatures()).isNull();
        assertThat(documents.toPolicy(documents.fromConfiguration(without), "1").signatures())
                .isEqualTo(SignatureRules.defaults());
    }

    @Test
    void refusesAConfiguredPolicyWhoseSectionsAreNotValidNamingTheField() {
        ConfiguredPolicy configured = new ConfiguredPolicy(
                null,
                Map.of(),
                List.of(),
                List.of(),
                new ConfiguredPolicy.Approvals(Duration.ofHours(24), List.of()),
                null,
                new ConfiguredPolicy.Signatures(Duration.ofDays(30), List.of()),
                new ConfiguredPolicy.X402(List.of("http://api.example.com"), Map.of()));

        assertThatThrownBy(() -> documents.fromConfiguration(configured))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/signatures/maxValidity: must be at most P7D")
                .hasMessageContaining("/x402/origins/0: an x402 origin must use https");
    }

    private String maxValidityOf(String written) {
        return documents
                .parse(bytes("{\"signatures\": {\"maxValidity\": \"" + written + "\"}}"), false)
                .signatures()
                .maxValidity();
    }

    private static SignatureTerms message(
            String domain, Optional<Long> chainId, Optional<Address> contract, String encodedType) {
        return new SignatureTerms(
                SignatureTerms.Standard.MESSAGE,
                Optional.empty(),
                new SignatureTerms.Domain(
                        Optional.of(domain),
                        Optional.empty(),
                        chainId.map(BigInteger::valueOf),
                        contract,
                        Optional.empty()),
                encodedType.substring(0, encodedType.indexOf('(')),
                encodedType,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty());
    }

    private List<Tuple> problems(String json) {
        InvalidPolicyException e =
                catchThrowableOfType(InvalidPolicyException.class, () -> documents.parse(bytes(json), false));
        assertThat(e).as("the document is refused").isNotNull();
        return e.problems().stream().map(p -> tuple(p.pointer(), p.message())).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
