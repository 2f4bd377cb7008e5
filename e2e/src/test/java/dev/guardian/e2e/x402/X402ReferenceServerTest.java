package dev.guardian.e2e.x402;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.AnvilOptions;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.x402.Authorization;
import dev.guardian.service.x402.Choice;
import dev.guardian.service.x402.PaymentHeader;
import dev.guardian.service.x402.PaymentRequired;
import dev.guardian.service.x402.Requirement;
import dev.guardian.service.x402.X402Codec;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reference x402 server and facilitator settle on Anvil what Guardian's codec reads and writes, with
 * no Guardian in between: GET answers 402; the codec decodes it and encodes the signed EIP-3009 payment;
 * the retry gets the resource, and the chain shows the transfer. Anvil runs as chain 84532 (Base Sepolia's
 * id), one of the chains x402 v1 has a name for, so both the v2 and the v1 routes are served.
 */
class X402ReferenceServerTest {
    private static final long CHAIN_ID = 84532;
    private static final long PRICE = 10_000; // 0.01 USDC
    /** Anvil's well-known account 9: the facilitator, which pays the settlement gas. */
    private static final String FACILITATOR_KEY = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";

    private static final String AUTHORIZATION_USED_TOPIC =
            Hex.encode(Keccak256.hash("AuthorizationUsed(address,bytes32)".getBytes(StandardCharsets.US_ASCII)));

    @RegisterExtension
    static final AnvilExtension CHAIN =
            new AnvilExtension(AnvilOptions.defaults().withChainId(CHAIN_ID));

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static Address usdc;
    private static Address payTo;
    private static X402ResourceServer server;

    @BeforeAll
    static void startTheReferenceServer() {
        DevChain chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        payTo = Address.of(randomBytes(20));
        server = X402ResourceServer.start(CHAIN.anvil().rpcUrl(), CHAIN_ID, usdc, payTo, PRICE, FACILITATOR_KEY);
    }

    @AfterAll
    static void stopTheReferenceServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void settlesAV2PaymentTheCodecEncoded() throws Exception {
        assertSettles("/weather", 2);
    }

    @Test
    void settlesAV1PaymentTheCodecEncoded() throws Exception {
        assertThat(server.v1Network()).isEqualTo("base-sepolia");
        assertSettles("/v1/weather", 1);
    }

    @Test
    void theFacilitatorRefusesAnExpiredAuthorization() throws Exception {
        ECKeyPair payer = Keys.createEcKeyPair();
        Address from = fundedPayer(payer);
        HttpResponse<String> unpaid = get("/weather", null);
        PaymentRequired required = PaymentRequired.from402(
                unpaid.headers().firstValue(PaymentRequired.HEADER).orElse(null), unpaid.body());
        Requirement requirement = ((Choice.Payable) X402Codec.choose(required, CHAIN_ID, usdc)).requirement();
        long now = Instant.now().getEpochSecond();
        Authorization expired = new Authorization(from, payTo, BigInteger.valueOf(PRICE), 0, now - 60, randomBytes(32));

        HttpResponse<String> paid = get(
                "/weather", X402Codec.paymentHeader(required, requirement, expired, sign(expired, requirement, payer)));

        assertThat(paid.statusCode()).as(server.stderrTail()).isEqualTo(402);
        PaymentRequired refusal = PaymentRequired.fromHeader(
                paid.headers().firstValue(PaymentRequired.HEADER).orElseThrow());
        assertThat(refusal.error()).containsIgnoringCase("valid_before");
        assertThat(CHAIN.devChain().usdcBalance(usdc, from).units()).isEqualTo(BigInteger.valueOf(PRICE * 10));
        assertThat(authorizationState(from, expired.nonce())).isFalse();
    }

    private void assertSettles(String path, int version) throws Exception {
        DevChain chain = CHAIN.devChain();
        ECKeyPair payer = Keys.createEcKeyPair();
        Address from = fundedPayer(payer);
        BigInteger payToBefore = chain.usdcBalance(usdc, payTo).units();

        HttpResponse<String> unpaid = get(path, null);
        assertThat(unpaid.statusCode()).isEqualTo(402);
        PaymentRequired required = PaymentRequired.from402(
                unpaid.headers().firstValue(PaymentRequired.HEADER).orElse(null), unpaid.body());
        assertThat(required.version()).isEqualTo(version);
        Requirement requirement = ((Choice.Payable) X402Codec.choose(required, CHAIN_ID, usdc)).requirement();
        Authorization authorization = Authorization.forRequirement(
                requirement, from, randomBytes(32), Instant.now().getEpochSecond());
        PaymentHeader header =
                X402Codec.paymentHeader(required, requirement, authorization, sign(authorization, requirement, payer));

        HttpResponse<String> paid = get(path, header);

        assertThat(paid.statusCode())
                .as(paid.body() + "\n" + server.stderrTail())
                .isEqualTo(200);
        assertThat(JSON.readTree(paid.body()).get("report").get("weather").stringValue())
                .isEqualTo("sunny");
        String responseHeader = version == 2 ? "PAYMENT-RESPONSE" : "X-PAYMENT-RESPONSE";
        JsonNode settlement = JSON.readTree(Base64.getDecoder()
                .decode(paid.headers().firstValue(responseHeader).orElseThrow()));
        assertThat(settlement.get("success").booleanValue()).isTrue();

        assertThat(chain.usdcBalance(usdc, payTo).units()).isEqualTo(payToBefore.add(BigInteger.valueOf(PRICE)));
        assertThat(chain.usdcBalance(usdc, from).units()).isEqualTo(BigInteger.valueOf(PRICE * 9));
        assertThat(authorizationState(from, authorization.nonce())).isTrue();
        TransactionReceipt receipt = CHAIN.web3j()
                .ethGetTransactionReceipt(settlement.get("transaction").stringValue())
                .send()
                .getTransactionReceipt()
                .orElseThrow();
        List<Log> used = receipt.getLogs().stream()
                .filter(log -> log.getTopics().getFirst().equals(AUTHORIZATION_USED_TOPIC))
                .toList();
        assertThat(used).hasSize(1);
        assertThat(used.getFirst().getTopics().get(1))
                .isEqualTo(Hex.encode(new byte[12]).concat(from.toLowerHex().substring(2)));
        assertThat(used.getFirst().getTopics().get(2)).isEqualTo(authorization.nonceHex());
    }

    private static Address fundedPayer(ECKeyPair payer) {
        Address from = Address.parse("0x" + Keys.getAddress(payer));
        CHAIN.devChain().mintUsdc(usdc, from, TokenAmount.ofUnits(DevChain.usdcAsset(usdc), PRICE * 10));
        return from;
    }

    /** Test-only signing with web3j: EIP-712 hash of the codec's typed data, then secp256k1 (v = 27 or 28). */
    private static byte[] sign(Authorization authorization, Requirement requirement, ECKeyPair key) throws Exception {
        Map<String, Object> typedData = authorization.typedDataJson(requirement);
        byte[] digest = new StructuredDataEncoder(JSON.writeValueAsString(typedData)).hashStructuredData();
        Sign.SignatureData signature = Sign.signMessage(digest, key, false);
        byte[] out = new byte[65];
        System.arraycopy(signature.getR(), 0, out, 0, 32);
        System.arraycopy(signature.getS(), 0, out, 32, 32);
        out[64] = signature.getV()[0];
        return out;
    }

    private static boolean authorizationState(Address authorizer, byte[] nonce) throws Exception {
        byte[] selector = Keccak256.hash("authorizationState(address,bytes32)".getBytes(StandardCharsets.US_ASCII));
        String data = Hex.encode(Arrays.copyOf(selector, 4)) + "000000000000000000000000"
                + authorizer.toLowerHex().substring(2) + Hex.encode(nonce).substring(2);
        String result = CHAIN.web3j()
                .ethCall(
                        Transaction.createEthCallTransaction(null, usdc.toString(), data),
                        DefaultBlockParameterName.LATEST)
                .send()
                .getValue();
        return new BigInteger(result.substring(2), 16).signum() != 0;
    }

    private static HttpResponse<String> get(String path, PaymentHeader payment) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url(path)).GET();
        if (payment != null) {
            request.header(payment.name(), payment.value());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
