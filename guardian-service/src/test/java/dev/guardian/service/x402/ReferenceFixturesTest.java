package dev.guardian.service.x402;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The codec against what the REAL reference packages produced for fixed inputs (fixed key, time and
 * nonces): {@code x402/reference-fixtures.json}, written by {@code e2e/src/test/node/x402-fixtures.mjs}
 * with {@code @x402/core}, {@code @x402/evm} and {@code @x402/express} 2.27.0. Regenerate from the repository
 * root with {@code node e2e/src/test/node/x402-fixtures.mjs > guardian-service/src/test/resources/x402/reference-fixtures.json}
 * (the script's header says how to add the {@code x402} 1.2.0 v1 client's output too).
 */
class ReferenceFixturesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode FIXTURES = load();
    private static final JsonNode INPUTS = FIXTURES.get("inputs");
    private static final long CHAIN_ID = INPUTS.get("chainId").longValue();
    private static final Address USDC = Address.parse(INPUTS.get("token").stringValue());
    private static final Address PAYER = Address.parse(INPUTS.get("payer").stringValue());
    private static final long NOW = INPUTS.get("nowSeconds").longValue();

    @Test
    void readsTheReferenceServersV2Header() {
        JsonNode v2 = FIXTURES.get("v2");
        PaymentRequired required =
                PaymentRequired.from402(v2.get("paymentRequiredHeader").stringValue(), "{}");

        assertThat(required.version()).isEqualTo(2);
        assertThat(required.nonEvmOffers()).isEmpty();
        Requirement requirement = required.requirements().getFirst();
        assertThat(requirement.scheme()).isEqualTo("exact");
        assertThat(requirement.network()).isEqualTo("eip155:84532");
        assertThat(requirement.chainId()).isEqualTo(84532);
        assertThat(requirement.asset()).isEqualTo(USDC);
        assertThat(requirement.amount())
                .isEqualTo(new BigInteger(INPUTS.get("price").stringValue()));
        assertThat(requirement.payTo())
                .isEqualTo(Address.parse(INPUTS.get("payTo").stringValue()));
        assertThat(requirement.maxTimeoutSeconds()).isEqualTo(60);
        assertThat(requirement.resourceUrl()).isEqualTo("https://api.example.com/premium/weather");
        assertThat(requirement.description()).isEqualTo("Weather report");
        assertThat(requirement.tokenName()).contains("USDC");
        assertThat(requirement.tokenVersion()).contains("2");
        assertThat(JSON.readTree(requirement.rawJson()))
                .isEqualTo(v2.get("paymentRequired").get("accepts").get(0));
    }

    @Test
    void readsTheReferenceServersV1Body() {
        PaymentRequired required = PaymentRequired.from402(
                null, FIXTURES.get("v1").get("paymentRequiredBody").stringValue());

        assertThat(required.version()).isEqualTo(1);
        Requirement requirement = required.requirements().getFirst();
        assertThat(requirement.network()).isEqualTo("base-sepolia");
        assertThat(requirement.chainId()).isEqualTo(84532);
        assertThat(requirement.amount()).isEqualTo(BigInteger.valueOf(10_000));
        assertThat(requirement.resourceUrl()).isEqualTo("https://api.example.com/premium/v1/weather");
        assertThat(requirement.tokenName()).contains("USDC");
    }

    @Test
    void buildsTheTypedDataTheReferenceClientSigned() {
        for (String version : new String[] {"v2", "v1"}) {
            JsonNode fixture = FIXTURES.get(version);
            PaymentRequired required = parse(version);
            Requirement requirement = required.requirements().getFirst();
            JsonNode signed = fixture.get("signedTypedData");
            Authorization authorization = Authorization.forRequirement(
                    requirement,
                    PAYER,
                    Hex.decode(signed.get("message").get("nonce").stringValue()),
                    NOW);

            JsonNode ours = JSON.valueToTree(authorization.typedDataJson(requirement));

            assertThat(ours.get("message")).as(version).isEqualTo(signed.get("message"));
            assertThat(ours.get("primaryType")).isEqualTo(signed.get("primaryType"));
            assertThat(ours.get("types").get("TransferWithAuthorization"))
                    .isEqualTo(signed.get("types").get("TransferWithAuthorization"));
            // viem takes chainId as a number; eth_signTypedData_v4 readers take the decimal string too.
            assertThat(ours.get("domain").get("chainId").stringValue())
                    .isEqualTo(signed.get("domain").get("chainId").asString());
            assertThat(ours.get("domain").get("name"))
                    .isEqualTo(signed.get("domain").get("name"));
            assertThat(ours.get("domain").get("version"))
                    .isEqualTo(signed.get("domain").get("version"));
            assertThat(ours.get("domain").get("verifyingContract"))
                    .isEqualTo(signed.get("domain").get("verifyingContract"));
        }
    }

    @Test
    void writesTheV2HeaderByteForByteAsTheReferenceClient() {
        assertSameHeaderAsReference("v2", PaymentHeader.V2_NAME);
    }

    @Test
    void writesTheV1HeaderByteForByteAsTheReferenceClient() {
        assertSameHeaderAsReference("v1", PaymentHeader.V1_NAME);
    }

    @Test
    void writesTheSamePayloadAsTheOriginalV1Package() {
        // x402 1.2.0 puts "signature" before "authorization": the same JSON object, other member order.
        JsonNode original = FIXTURES.get("x402v1Package");
        assertThat(original).as("fixtures made with --x402-v1").isNotNull();
        JsonNode payload = original.get("payload");
        JsonNode authorizationJson = payload.get("payload").get("authorization");
        Requirement requirement = parse("v1").requirements().getFirst();
        Authorization authorization = Authorization.forRequirement(
                requirement, PAYER, Hex.decode(authorizationJson.get("nonce").stringValue()), NOW);
        PaymentHeader header = X402Codec.paymentHeader(
                parse("v1"),
                requirement,
                authorization,
                Hex.decode(payload.get("payload").get("signature").stringValue()));

        assertThat(header.name()).isEqualTo(original.get("headerName").stringValue());
        assertThat(decode(header.value()))
                .isEqualTo(decode(original.get("headerValue").stringValue()));
    }

    private static void assertSameHeaderAsReference(String version, String headerName) {
        JsonNode fixture = FIXTURES.get(version);
        PaymentRequired required = parse(version);
        Requirement requirement = ((Choice.Payable) X402Codec.choose(required, CHAIN_ID, USDC)).requirement();
        Authorization authorization = Authorization.forRequirement(
                requirement,
                PAYER,
                Hex.decode(fixture.get("signedTypedData")
                        .get("message")
                        .get("nonce")
                        .stringValue()),
                NOW);

        PaymentHeader header = X402Codec.paymentHeader(
                required,
                requirement,
                authorization,
                Hex.decode(fixture.get("signature").stringValue()));

        assertThat(header.name())
                .isEqualTo(headerName)
                .isEqualTo(fixture.get("paymentHeaderName").stringValue());
        assertThat(new String(Base64.getDecoder().decode(header.value()), StandardCharsets.UTF_8))
                .isEqualTo(new String(
                        Base64.getDecoder()
                                .decode(fixture.get("paymentHeaderValue").stringValue()),
                        StandardCharsets.UTF_8));
        assertThat(header.value()).isEqualTo(fixture.get("paymentHeaderValue").stringValue());
    }

    private static PaymentRequired parse(String version) {
        JsonNode fixture = FIXTURES.get(version);
        return version.equals("v2")
                ? PaymentRequired.fromHeader(
                        fixture.get("paymentRequiredHeader").stringValue())
                : PaymentRequired.fromBody(fixture.get("paymentRequiredBody").stringValue());
    }

    private static JsonNode decode(String headerValue) {
        return JSON.readTree(new String(Base64.getDecoder().decode(headerValue), StandardCharsets.UTF_8));
    }

    private static JsonNode load() {
        try (InputStream in = ReferenceFixturesTest.class.getResourceAsStream("/x402/reference-fixtures.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
