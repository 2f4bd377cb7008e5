package dev.guardian.e2e.x402;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.WalletId;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.AnvilOptions;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.reconciliation.WalletReconciler;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.HeldBudget;
import dev.guardian.service.testsupport.ShippedSanctionsList;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.TypedDataJsons;
import dev.guardian.service.x402.PaymentRequired;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An agent pays for an API by x402 through Guardian, against the reference x402 resource server and the
 * reference facilitator's verify and settle code (npm @x402/express, @x402/core, @x402/evm) on Anvil, with
 * a token that implements EIP-3009 as Circle's FiatToken v2.2 does. The agent gets the 402, hands it to
 * Guardian, retries with the header Guardian returns and gets the resource; the facilitator settles on chain
 * and Guardian posts the reservation. Refusals: over budget, a sanctioned payee, a seller asking for an
 * authorization valid longer than the policy allows, an origin the policy does not list; and an
 * authorization nobody used releases its reservation once it can no longer be used.
 */
class X402PaymentScenariosTest {
    private static final long CHAIN_ID = 84532; // Base Sepolia's id, which x402 v1 has a name for
    private static final long PRICE = 10_000; // 0.01 USDC
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** Anvil's well-known account 9: the facilitator, which pays the settlement gas. */
    private static final String FACILITATOR_KEY = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";

    @RegisterExtension
    static final AnvilExtension CHAIN =
            new AnvilExtension(AnvilOptions.defaults().withChainId(CHAIN_ID));

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Address SELLER = TestAddresses.fresh();
    private static final Address SANCTIONED = ShippedSanctionsList.addresses().get(1);

    private static final List<X402ResourceServer> servers = new ArrayList<>();
    private static X402ResourceServer shop;
    private static X402ResourceServer sanctionedShop;
    private static X402ResourceServer patientShop;
    private static X402ResourceServer unlistedShop;
    private static GuardianInstance guardian;
    private static DevChain chain;
    private static Address usdc;
    private static AgentSpec buyer;
    private static AgentSpec frugal;
    private static AgentSpec careless;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        URI rpc = CHAIN.anvil().rpcUrl();
        shop = serve(X402ResourceServer.start(rpc, CHAIN_ID, usdc, SELLER, PRICE, FACILITATOR_KEY));
        sanctionedShop = serve(X402ResourceServer.start(rpc, CHAIN_ID, usdc, SANCTIONED, PRICE, FACILITATOR_KEY));
        patientShop = serve(X402ResourceServer.start(rpc, CHAIN_ID, usdc, SELLER, PRICE, FACILITATOR_KEY, 3_600));
        unlistedShop = serve(X402ResourceServer.start(rpc, CHAIN_ID, usdc, SELLER, PRICE, FACILITATOR_KEY));
        String[] listed = {origin(shop), origin(sanctionedShop), origin(patientShop)};
        buyer = AgentSpec.agent("x402-buyer").allow(SELLER).x402("1", listed);
        frugal = AgentSpec.agent("x402-frugal")
                .budget("0.015", Duration.ofHours(24))
                .allow(SELLER)
                .x402("1", listed);
        careless = AgentSpec.agent("x402-careless").allow(SANCTIONED).x402("1", listed);
        guardian = GuardianInstance.builder(rpc, usdc)
                .property("guardian.chain.chain-id", CHAIN_ID)
                .property("guardian.worker.authorization-watch-interval", "300ms")
                .agent(buyer)
                .agent(frugal)
                .agent(careless)
                .start();
        for (AgentSpec agent : List.of(buyer, frugal, careless)) {
            chain.mintUsdc(usdc, guardian.walletOf(agent), TokenAmount.parse(DevChain.usdcAsset(usdc), "10"));
        }
        // Every wallet's reconciliation starts here, so the settlements below fall in ranges it checks.
        guardian.bean(WalletReconciler.class).reconcileAll();
    }

    @AfterAll
    static void stop() {
        if (guardian != null) {
            guardian.close();
        }
        servers.forEach(X402ResourceServer::close);
    }

    private static X402ResourceServer serve(X402ResourceServer server) {
        servers.add(server);
        return server;
    }

    private static String origin(X402ResourceServer server) {
        URI url = server.url("/");
        return url.getScheme() + "://" + url.getHost() + ":" + url.getPort();
    }

    private static HttpResponse<String> get(URI url, Optional<String[]> header) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
        header.ifPresent(h -> request.header(h[0], h[1]));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the agent does with a 402: hands the answer and the URL to Guardian. */
    private static AgentClient.Response askGuardian(
            AgentSpec agent, URI resource, HttpResponse<String> unpaid, String key) {
        String header = unpaid.headers().firstValue(PaymentRequired.HEADER).orElse(null);
        String body = header != null
                ? JSON.writeValueAsString(Map.of("resource", resource.toString(), "paymentRequired", header))
                : JSON.writeValueAsString(Map.of("resource", resource.toString(), "body", unpaid.body()));
        return guardian.client(agent).post("/v1/x402/payments", body, Optional.ofNullable(key));
    }

    private static List<String> ruleIds(AgentClient.Response answer) {
        List<String> ids = new ArrayList<>();
        for (JsonNode reason : answer.body().path("reasons")) {
            ids.add(reason.path("ruleId").asString());
        }
        return ids;
    }

    private void paysAndGetsTheResource(String path, String expectedHeader) throws Exception {
        URI resource = shop.url(path);
        Address wallet = guardian.walletOf(buyer);
        TokenAmount sellerBefore = chain.usdcBalance(usdc, SELLER);
        TokenAmount walletBefore = chain.usdcBalance(usdc, wallet);
        HttpResponse<String> unpaid = get(resource, Optional.empty());
        assertThat(unpaid.statusCode()).isEqualTo(402);

        AgentClient.Response paying = askGuardian(buyer, resource, unpaid, null);

        assertThat(paying.status()).as(paying.body().toString()).isEqualTo(200);
        assertThat(paying.text("kind")).isEqualTo("X402_PAYMENT");
        assertThat(paying.text("status")).isEqualTo("AUTHORIZED");
        assertThat(paying.body().path("asked").path("assertedResource").asString())
                .isEqualTo(resource.toString());
        String header = paying.body().path("x402").path("header").asString();
        String value = paying.body().path("x402").path("value").asString();
        assertThat(header).isEqualTo(expectedHeader);

        HttpResponse<String> paid = get(resource, Optional.of(new String[] {header, value}));

        assertThat(paid.statusCode()).as(paid.body() + "\n" + shop.stderrTail()).isEqualTo(200);
        assertThat(JSON.readTree(paid.body()).path("report").isMissingNode()).isFalse();
        TokenAmount price = new TokenAmount(DevChain.usdcAsset(usdc), BigInteger.valueOf(PRICE));
        assertThat(chain.usdcBalance(usdc, SELLER)).isEqualTo(sellerBefore.plus(price));
        assertThat(chain.usdcBalance(usdc, wallet)).isEqualTo(walletBefore.minus(price));
        AgentClient.Response settled = guardian.client(buyer).awaitStatus(paying.text("id"), SETTLE, "CONFIRMED");
        assertThat(settled.text("status")).isEqualTo("CONFIRMED");
        assertThat(settled.body().path("signature").path("settledIn").asString())
                .startsWith("0x");
        assertThat(HeldBudget.state(guardian, paying.text("id"))).isEqualTo("POSTED");
        // Wallet reconciliation sees the money leave in a transaction Guardian did not send: the authorization
        // it signed explains it, so nothing is charged twice and the agent is not frozen.
        guardian.bean(WalletReconciler.class).reconcileAll();
        assertThat(guardian.bean(WalletReconciler.class).unexplainedCount(new WalletId(buyer.walletId())))
                .isZero();
        assertThat(guardian.bean(AgentDirectory.class)
                        .find(new AgentId(buyer.id()))
                        .orElseThrow()
                        .frozen())
                .isFalse();
    }

    @Test
    void anAgentPaysAnX402V2ResourceThroughGuardianAndTheFacilitatorSettlesOnChain() throws Exception {
        paysAndGetsTheResource("/weather", "PAYMENT-SIGNATURE");
    }

    @Test
    void anAgentPaysAnX402V1ResourceThroughGuardian() throws Exception {
        paysAndGetsTheResource("/v1/weather", "X-PAYMENT");
    }

    @Test
    void aRetryUnderTheSameKeyNeverSignsTwiceAndSaysWhenTheFirstWasUsed() throws Exception {
        URI resource = shop.url("/weather");
        HttpResponse<String> unpaid = get(resource, Optional.empty());
        AgentClient.Response first = askGuardian(buyer, resource, unpaid, "x402-retry-1");
        // The agent lost the answer; it asks again with the same key and a fresh 402.
        AgentClient.Response again = askGuardian(buyer, resource, get(resource, Optional.empty()), "x402-retry-1");

        assertThat(again.text("id")).isEqualTo(first.text("id"));
        assertThat(again.body().path("x402").path("value").asString())
                .isEqualTo(first.body().path("x402").path("value").asString());
        String header = again.body().path("x402").path("header").asString();
        HttpResponse<String> paid = get(resource, Optional.of(new String[] {
            header, again.body().path("x402").path("value").asString()
        }));
        assertThat(paid.statusCode()).isEqualTo(200);

        AgentClient.Response afterUse = askGuardian(buyer, resource, get(resource, Optional.empty()), "x402-retry-1");

        assertThat(afterUse.text("id")).isEqualTo(first.text("id"));
        assertThat(afterUse.text("status")).isEqualTo("CONFIRMED");
    }

    @Test
    void refusesAPaymentPastTheBudget() throws Exception {
        URI resource = shop.url("/weather");
        AgentClient.Response first = askGuardian(frugal, resource, get(resource, Optional.empty()), null);
        assertThat(first.status()).isEqualTo(200);

        AgentClient.Response second = askGuardian(frugal, resource, get(resource, Optional.empty()), null);

        assertThat(second.status()).isEqualTo(403);
        assertThat(ruleIds(second)).contains("budget.window");
        assertThat(second.body().path("x402").isMissingNode()).isTrue();
    }

    @Test
    void refusesToPayASanctionedPayeeEvenWhenAllowlisted() throws Exception {
        URI resource = sanctionedShop.url("/weather");
        TokenAmount before = chain.usdcBalance(usdc, guardian.walletOf(careless));

        AgentClient.Response answer = askGuardian(careless, resource, get(resource, Optional.empty()), null);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(ruleIds(answer)).contains("sanctions.hit");
        assertThat(chain.usdcBalance(usdc, guardian.walletOf(careless))).isEqualTo(before);
    }

    @Test
    void refusesASellerThatAsksForAnAuthorizationValidLongerThanThePolicyAllows() throws Exception {
        URI resource = patientShop.url("/weather");

        AgentClient.Response answer = askGuardian(buyer, resource, get(resource, Optional.empty()), null);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(ruleIds(answer)).containsExactly("typed-data.validity-too-long");
    }

    @Test
    void refusesAnOriginThePolicyDoesNotList() throws Exception {
        URI resource = unlistedShop.url("/weather");

        AgentClient.Response answer = askGuardian(buyer, resource, get(resource, Optional.empty()), null);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(ruleIds(answer)).containsExactly("x402.origin-not-allowed");
    }

    @Test
    void refusesA402AnswerForAnotherResourceThanTheOneNamed() throws Exception {
        HttpResponse<String> unpaid = get(shop.url("/weather"), Optional.empty());

        AgentClient.Response answer = askGuardian(buyer, URI.create(origin(shop) + "/other"), unpaid, null);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().toString()).contains("/resource");
    }

    @Test
    void refusesTypedDataOfAnUnknownType() {
        String mail = """
                {"typedData": {"types": {"EIP712Domain": [{"name": "name", "type": "string"}],
                  "Mail": [{"name": "contents", "type": "string"}]},
                  "primaryType": "Mail", "domain": {"name": "Ether Mail"}, "message": {"contents": "pay me"}}}""";

        AgentClient.Response answer = guardian.client(buyer).post("/v1/typed-data-signatures", mail, Optional.empty());

        assertThat(answer.status()).isEqualTo(403);
        assertThat(ruleIds(answer)).containsExactly("typed-data.not-allowed");
    }

    @Test
    void anAuthorizationNobodyUsesReleasesItsReservationOnceItCanNoLongerBeUsed() throws Exception {
        Address wallet = guardian.walletOf(buyer);
        long validBefore = Instant.now().getEpochSecond() + 3;
        String body = TypedDataJsons.transferWithAuthorization(
                TypedDataJsons.domain(TypedDataJsons.TOKEN_NAME, CHAIN_ID, usdc),
                wallet,
                SELLER,
                BigInteger.valueOf(PRICE),
                0,
                validBefore,
                TypedDataJsons.randomNonce());
        AgentClient.Response answer = guardian.client(buyer).post("/v1/typed-data-signatures", body, Optional.empty());
        assertThat(answer.text("status")).isEqualTo("AUTHORIZED");
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("PENDING");

        Thread.sleep(Math.max(0, (validBefore + 1) * 1000 - System.currentTimeMillis()));
        chain.mine(); // the chain moves on past validBefore, as Base does every two seconds

        AgentClient.Response lapsed = guardian.client(buyer).awaitStatus(answer.text("id"), SETTLE, "EXPIRED");
        assertThat(lapsed.text("status")).isEqualTo("EXPIRED");
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("VOIDED");
        byte[] nonce = Hex.decode(answer.body()
                .path("signature")
                .path("typedData")
                .path("message")
                .path("nonce")
                .asString());
        byte[] state = guardian.bean(ChainAdapter.class)
                .callLatest(usdc, TypedDataJsons.authorizationStateCall(wallet, nonce), 32);
        assertThat(state[31]).isZero();
    }
}
