package dev.guardian.service.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.contracts.Permit2Mock;
import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.requests.RequestStore;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.Treasury;
import dev.guardian.service.testsupport.TypedDataJsons;
import dev.guardian.service.testsupport.TypedDataJsons.Permit2Detail;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Typed data crafted to look like something a policy allows, through one Guardian on Anvil (with the test
 * token and the allowance part of Permit2 deployed): a Permit2 batch whose first detail is harmless, a Permit2
 * allowance that outlives the signature by a month, Permit2's unlimited amount, a listed message under another
 * verifying contract, chain or type, and a 402 answer whose timeout overflows. Each is refused with its stable
 * rule id (or a 400 that records nothing), nothing is signed, and the chain shows nothing granted or moved.
 */
class TypedDataLookalikesTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("lookalike-treasurer", Role.TREASURY);
    private static final Address DEX = TestAddresses.fresh();
    private static final Address LOGIN_CONTRACT = TestAddresses.fresh();
    private static final Address ELSEWHERE = TestAddresses.fresh();
    private static final Address SHOP = TestAddresses.fresh();
    private static final String LOGIN_TYPE = "Login(string user,uint256 issuedAt)";
    private static final String SHOP_ORIGIN = "https://api.shop.example";

    private static DevChain chain;
    private static Address usdc;
    private static Address permit2;
    private static GuardianInstance guardian;
    private static AgentClient permitter;
    private static Address permitterWallet;
    private static AgentClient loggerIn;
    private static AgentClient buyer;
    private static Address buyerWallet;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        permit2 = chain.deploy(Permit2Mock.BINARY);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .person(TREASURER)
                .property("guardian.chain.permit2", permit2)
                .start();
        Treasury desk = new Treasury(guardian, TREASURER, chain);
        // Permit2's approve is allowed for USDC up to 5 USDC a grant, to one DEX; anything else is denied.
        permitter = desk.createAgent("lookalike-permitter", """
                {"perTransaction": {"USDC": {"escalateAbove": "100"}},
                 "budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "dex"}],
                 "contracts": [{"address": "%s", "label": "Permit2", "functions": [
                   {"signature": "approve(address,address,uint160,uint48)",
                    "arguments": [{"index": 0, "oneOf": ["%s"]}, {"index": 2, "atMost": "5", "asset": "USDC"}]}]}],
                 "outsideContracts": "deny"}""".formatted(DEX, permit2, usdc));
        permitterWallet = desk.createWallet("lookalike-permitter", "lookalike-permitter-wallet");
        loggerIn = desk.createAgent("lookalike-logger-in", """
                {"perTransaction": {"USDC": {"escalateAbove": "100"}},
                 "signatures": {"messages": [{"domain": "login.example", "chainId": %d, "verifyingContract": "%s",
                   "primaryType": "Login", "type": "%s"}]}}""".formatted(chain.chainId(), LOGIN_CONTRACT, LOGIN_TYPE));
        desk.createWallet("lookalike-logger-in", "lookalike-logger-in-wallet");
        buyer = desk.createAgent("lookalike-buyer", """
                {"perTransaction": {"USDC": {"escalateAbove": "100"}},
                 "budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "shop"}],
                 "x402": {"origins": ["%s"], "maxPerRequest": {"USDC": "1"}}}""".formatted(SHOP, SHOP_ORIGIN));
        buyerWallet = desk.createWallet("lookalike-buyer", "lookalike-buyer-wallet");
        chain.mintUsdc(usdc, permitterWallet, usdc("100"));
        chain.mintUsdc(usdc, buyerWallet, usdc("100"));
    }

    @AfterAll
    static void stop() {
        guardian.close();
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }

    private static long inSeconds(long seconds) {
        return Instant.now().getEpochSecond() + seconds;
    }

    private static List<String> ruleIds(AgentClient.Response answer) {
        List<String> ids = new ArrayList<>();
        for (JsonNode reason : answer.body().path("reasons")) {
            ids.add(reason.path("ruleId").asString());
        }
        return ids;
    }

    private static String messages(AgentClient.Response answer) {
        List<String> messages = new ArrayList<>();
        for (JsonNode reason : answer.body().path("reasons")) {
            messages.add(reason.path("message").asString());
        }
        return String.join(" | ", messages);
    }

    private static AgentClient.Response sign(AgentClient agent, String typedData) {
        return agent.post("/v1/typed-data-signatures", typedData, Optional.empty());
    }

    /** Nothing was granted to the DEX on Permit2, and the wallet's USDC is all there. */
    private static void assertNothingGrantedOrMoved() {
        ChainAdapter reader = guardian.bean(ChainAdapter.class);
        assertThat(reader.permit2Allowance(permit2, permitterWallet, usdc, DEX)).isZero();
        assertThat(chain.usdcBalance(usdc, permitterWallet)).isEqualTo(usdc("100"));
    }

    @Test
    void aPermit2BatchIsJudgedByEveryDetailNotOnlyItsHarmlessFirst() {
        long expiration = inSeconds(300);
        String harmlessFirst = TypedDataJsons.permitBatch(
                chain.chainId(),
                permit2,
                List.of(
                        new Permit2Detail(usdc, usdc("1").units(), expiration, 0),
                        new Permit2Detail(usdc, usdc("50").units(), expiration, 0)),
                DEX,
                inSeconds(300));
        String withinTheRules = TypedDataJsons.permitBatch(
                chain.chainId(),
                permit2,
                List.of(
                        new Permit2Detail(usdc, usdc("1").units(), expiration, 0),
                        new Permit2Detail(usdc, usdc("2").units(), expiration, 0)),
                DEX,
                inSeconds(300));

        AgentClient.Response refused = sign(permitter, harmlessFirst);

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
        assertThat(ruleIds(refused)).containsExactly("contract.argument-not-allowed");
        assertThat(messages(refused)).contains("argument 2 (uint160)").contains("is 50000000");
        assertThat(refused.body().path("signature").has("signature")).isFalse();
        assertNothingGrantedOrMoved();
        // The same batch with both details within the rules is signed: the refusal was the second detail's.
        AgentClient.Response signed = sign(permitter, withinTheRules);
        assertThat(signed.status()).as(signed.raw().body()).isEqualTo(200);
        assertThat(signed.text("status")).isEqualTo("AUTHORIZED");
        assertThat(signed.body().path("effects")).hasSize(2);
    }

    @Test
    void aPermit2AllowanceThatOutlivesTheSignatureIsBoundedByTheLongestValidity() {
        String monthLong = TypedDataJsons.permitSingle(
                chain.chainId(),
                permit2,
                new Permit2Detail(usdc, usdc("1").units(), inSeconds(30 * 24 * 3600), 0),
                DEX,
                inSeconds(300));

        AgentClient.Response answer = sign(permitter, monthLong);

        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(403);
        assertThat(ruleIds(answer)).containsExactly("typed-data.validity-too-long");
        JsonNode validity = answer.body().path("reasons").get(0).path("validity");
        assertThat(validity.path("limit").asString()).isEqualTo("PT10M");
        assertThat(Duration.parse(validity.path("attempted").asString())).isGreaterThan(Duration.ofDays(29));
        assertThat(messages(answer)).contains("expiration");
        assertNothingGrantedOrMoved();
    }

    @Test
    void permit2sUnlimitedAmountIsAnUnlimitedAllowance() {
        String unlimited = TypedDataJsons.permitSingle(
                chain.chainId(),
                permit2,
                new Permit2Detail(usdc, Approval.MAX_UINT160, inSeconds(300), 0),
                DEX,
                inSeconds(300));

        AgentClient.Response answer = sign(permitter, unlimited);

        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(403);
        assertThat(ruleIds(answer)).contains("allowance.unlimited", "budget.window");
        assertNothingGrantedOrMoved();
    }

    private static String login(String domain) {
        return """
                {"typedData": {"types": {%s,
                  "Login": [{"name": "user", "type": "string"}, {"name": "issuedAt", "type": "uint256"}]},
                  "primaryType": "Login", "domain": %s,
                  "message": {"user": "lookalike-logger-in", "issuedAt": 1796000000}}}""".formatted("""
                        "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"},
                          {"name": "verifyingContract", "type": "address"}]""", domain);
    }

    private static String domain(long chainId, Address contract) {
        return """
                {"name": "login.example", "chainId": %d, "verifyingContract": "%s"}""".formatted(chainId, contract.toLowerHex());
    }

    @Test
    void aListedMessageIsSignedOnlyUnderItsOwnVerifyingContractChainAndType() {
        AgentClient.Response listed = sign(loggerIn, login(domain(chain.chainId(), LOGIN_CONTRACT)));
        assertThat(listed.status()).as(listed.raw().body()).isEqualTo(200);
        assertThat(listed.text("status")).isEqualTo("CONFIRMED");

        AgentClient.Response otherContract = sign(loggerIn, login(domain(chain.chainId(), ELSEWHERE)));
        AgentClient.Response otherChain = sign(loggerIn, login(domain(8453, LOGIN_CONTRACT)));
        AgentClient.Response noChain = sign(
                loggerIn,
                login("{\"name\": \"login.example\", \"verifyingContract\": \"" + LOGIN_CONTRACT.toLowerHex() + "\"}")
                        .replace("{\"name\": \"chainId\", \"type\": \"uint256\"},\n", "")
                        .replace("{\"name\": \"chainId\", \"type\": \"uint256\"}, ", ""));
        AgentClient.Response otherType = sign(
                loggerIn,
                login(domain(chain.chainId(), LOGIN_CONTRACT))
                        .replace(
                                "{\"name\": \"issuedAt\", \"type\": \"uint256\"}]",
                                "{\"name\": \"issuedAt\", \"type\": \"uint256\"}, {\"name\": \"spender\", \"type\": \"address\"}]")
                        .replace(
                                "\"issuedAt\": 1796000000}",
                                "\"issuedAt\": 1796000000, \"spender\": \"" + DEX.toLowerHex() + "\"}"));

        for (AgentClient.Response refused : List.of(otherContract, otherChain, noChain, otherType)) {
            assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
            assertThat(ruleIds(refused)).containsExactly("typed-data.not-allowed");
            assertThat(refused.body().path("signature").has("signature")).isFalse();
        }
        assertThat(messages(otherContract)).contains("differs in verifyingContract");
        assertThat(messages(otherChain)).contains("chain 8453");
        assertThat(messages(noChain)).contains("differs in chainId");
        assertThat(messages(otherType)).contains("differs in type");
    }

    private static String paymentRequired(String maxTimeoutSeconds) {
        String json =
                """
                {"x402Version":2,"resource":{"url":"%s/weather"},"accepts":[{"scheme":"exact","network":"eip155:%d",\
                "amount":"10000","asset":"%s","payTo":"%s","maxTimeoutSeconds":%s,\
                "extra":{"name":"%s","version":"2"}}]}""".formatted(SHOP_ORIGIN, chain.chainId(), usdc, SHOP, maxTimeoutSeconds, TypedDataJsons.TOKEN_NAME);
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static AgentClient.Response payX402(String maxTimeoutSeconds) {
        return buyer.post(
                "/v1/x402/payments",
                "{\"resource\": \"" + SHOP_ORIGIN + "/weather\", \"paymentRequired\": \""
                        + paymentRequired(maxTimeoutSeconds) + "\"}",
                Optional.empty());
    }

    @Test
    void anX402TimeoutPastAnyValidityIsA400ThatRecordsNothing() {
        RequestStore store = guardian.bean(RequestStore.class);
        AgentId agent = new AgentId("lookalike-buyer");
        int recorded = store.recentOf(agent, 100).size();

        for (String timeout : List.of("9223372036854775807", "100000000000000000000000", "604801")) {
            AgentClient.Response answer = payX402(timeout);

            assertThat(answer.status()).as(answer.raw().body()).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.body().toString())
                    .contains("/paymentRequired")
                    .contains("maxTimeoutSeconds")
                    .contains("at most 604800 s");
        }
        assertThat(store.recentOf(agent, 100)).hasSize(recorded);
        assertThat(chain.usdcBalance(usdc, buyerWallet)).isEqualTo(usdc("100"));

        // The same answer with a timeout the policy allows is paid: the 400 was the timeout's.
        AgentClient.Response paid = payX402("60");
        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(200);
        assertThat(paid.text("status")).isEqualTo("AUTHORIZED");
        assertThat(store.recentOf(agent, 100)).hasSize(recorded + 1);
    }

    @Test
    void anX402PaymentNamesItsResourceAsTheAgentsAssertion() {
        AgentClient.Response paid = payX402("60");

        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(200);
        assertThat(paid.body().path("asked").path("assertedResource").asString())
                .isEqualTo(SHOP_ORIGIN + "/weather");
        assertThat(paid.body().path("asked").path("assertedOrigin").asString()).isEqualTo(SHOP_ORIGIN);
        assertThat(paid.body().path("asked").has("resource")).isFalse();
        assertThat(new BigInteger(
                        paid.body().path("effects").get(0).path("units").asString()))
                .isEqualTo(BigInteger.valueOf(10_000));
    }
}
