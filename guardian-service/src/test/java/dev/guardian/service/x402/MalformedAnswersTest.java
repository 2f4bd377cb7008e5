package dev.guardian.service.x402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.guardian.policy.Address;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strict reading: what the codec refuses, and that the refusal says what to do. */
class MalformedAnswersTest {
    private static final String USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
    private static final String PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C";

    private static String v2(String accepts) {
        return "{\"x402Version\":2,\"resource\":{\"url\":\"https://a.example/r\"},\"accepts\":[" + accepts + "]}";
    }

    private static String exact(String network, String asset, String amount) {
        return "{\"scheme\":\"exact\",\"network\":\"" + network + "\",\"amount\":" + amount + ",\"asset\":\"" + asset
                + "\",\"payTo\":\"" + PAY_TO
                + "\",\"maxTimeoutSeconds\":60,\"extra\":{\"name\":\"USDC\",\"version\":\"2\"}}";
    }

    private static String header(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not base64|!!!|not base64",
                "base64 of no JSON|bm90IGpzb24=|not valid JSON",
                "a JSON array|WzFd|not a JSON object",
            })
    void refusesAHeaderThatIsNotBase64Json(String what, String value, String message) {
        assertThatThrownBy(() -> PaymentRequired.fromHeader(value))
                .isInstanceOf(X402FormatException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "amount as a number|{\"x402Version\":2,\"resource\":{\"url\":\"u\"},\"accepts\":[{\"scheme\":\"exact\",\"network\":\"eip155:8453\",\"amount\":10000,\"asset\":\""
                        + USDC + "\",\"payTo\":\"" + PAY_TO
                        + "\",\"maxTimeoutSeconds\":60}]}|amount must be a non-empty string",
                "decimal amount|{\"x402Version\":2,\"resource\":{\"url\":\"u\"},\"accepts\":[{\"scheme\":\"exact\",\"network\":\"eip155:8453\",\"amount\":\"0.01\",\"asset\":\""
                        + USDC + "\",\"payTo\":\"" + PAY_TO + "\",\"maxTimeoutSeconds\":60}]}|smallest units",
                "bad checksum|{\"x402Version\":2,\"resource\":{\"url\":\"u\"},\"accepts\":[{\"scheme\":\"exact\",\"network\":\"eip155:8453\",\"amount\":\"1\",\"asset\":\"0x036cbD53842c5426634e7929541eC2318f3dCF7e\",\"payTo\":\""
                        + PAY_TO + "\",\"maxTimeoutSeconds\":60}]}|checksum",
                "no resource|{\"x402Version\":2,\"accepts\":[]}|resource",
                "empty accepts|{\"x402Version\":2,\"resource\":{\"url\":\"u\"},\"accepts\":[]}|nothing to pay",
                "version 3|{\"x402Version\":3}|x402Version",
                "duplicate member|{\"x402Version\":2,\"x402Version\":2}|not valid JSON",
                "bad chain id|{\"x402Version\":2,\"resource\":{\"url\":\"u\"},\"accepts\":[{\"scheme\":\"exact\",\"network\":\"eip155:base\"}]}|CAIP-2",
                "fractional timeout|{\"x402Version\":2,\"resource\":{\"url\":\"u\"},\"accepts\":[{\"scheme\":\"exact\",\"network\":\"eip155:8453\",\"amount\":\"1\",\"asset\":\""
                        + USDC + "\",\"payTo\":\"" + PAY_TO + "\",\"maxTimeoutSeconds\":1.5}]}|maxTimeoutSeconds",
                "v1 header|{\"x402Version\":1,\"accepts\":[]}|x402 v2 only",
            })
    void refusesMalformedV2Answers(String what, String json, String message) {
        assertThatThrownBy(() -> PaymentRequired.fromHeader(header(json)))
                .isInstanceOf(X402FormatException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a second past seven days|604801",
                "the largest long|9223372036854775807",
                "past any long|100000000000000000000000000000",
            })
    void refusesATimeoutLongerThanAnyAuthorizationGuardianSigns(String what, String seconds) {
        String json = v2(exact("eip155:8453", USDC, "\"1\"")
                .replace("\"maxTimeoutSeconds\":60", "\"maxTimeoutSeconds\":" + seconds));

        assertThatThrownBy(() -> PaymentRequired.fromHeader(header(json)))
                .as(what)
                .isInstanceOf(X402FormatException.class)
                .hasMessageContaining("accepts[0].maxTimeoutSeconds is ")
                .hasMessageContaining("at most 604800 s (seven days)");
    }

    @Test
    void readsATimeoutOfExactlySevenDays() {
        String json = v2(exact("eip155:8453", USDC, "\"1\"")
                .replace("\"maxTimeoutSeconds\":60", "\"maxTimeoutSeconds\":604800"));

        assertThat(PaymentRequired.fromHeader(header(json))
                        .requirements()
                        .getFirst()
                        .maxTimeoutSeconds())
                .isEqualTo(PaymentRequired.MAX_TIMEOUT_SECONDS);
    }

    @Test
    void refusesAV2AnswerInTheBodyAndPointsToTheHeader() {
        assertThatThrownBy(() -> PaymentRequired.fromBody(v2(exact("eip155:8453", USDC, "\"1\""))))
                .isInstanceOf(X402FormatException.class)
                .hasMessageContaining("PAYMENT-REQUIRED header");
    }

    @Test
    void refusesA402WithNeitherHeaderNorBody() {
        assertThatThrownBy(() -> PaymentRequired.from402(null, " "))
                .isInstanceOf(X402FormatException.class)
                .hasMessageContaining("neither a PAYMENT-REQUIRED header");
    }

    @Test
    void refusesAV1RequirementWithoutItsResource() {
        String body =
                "{\"x402Version\":1,\"accepts\":[{\"scheme\":\"exact\",\"network\":\"base\",\"maxAmountRequired\":\"1\","
                        + "\"asset\":\"" + USDC + "\",\"payTo\":\"" + PAY_TO + "\",\"maxTimeoutSeconds\":60}]}";
        assertThatThrownBy(() -> PaymentRequired.fromBody(body))
                .isInstanceOf(X402FormatException.class)
                .hasMessageContaining("accepts[0].resource");
    }

    @Test
    void choosesTheFirstPayableOfferAndExplainsEveryOtherOne() {
        String accepts = String.join(
                ",",
                "{\"scheme\":\"exact\",\"network\":\"solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp\",\"amount\":\"1\",\"asset\":\"x\",\"payTo\":\"y\",\"maxTimeoutSeconds\":60}",
                exact("eip155:1", USDC, "\"1\""),
                exact("eip155:8453", PAY_TO, "\"1\""),
                exact("eip155:8453", USDC, "\"7\"").replace("\"exact\"", "\"upto\""));
        PaymentRequired required = PaymentRequired.fromHeader(header(v2(accepts)));

        Choice choice = X402Codec.choose(required, 8453, Address.parse(USDC));

        assertThat(choice).isInstanceOf(Choice.Unpayable.class);
        Choice.Unpayable unpayable = (Choice.Unpayable) choice;
        assertThat(unpayable.rejections())
                .extracting(Choice.Rejection::index, Choice.Rejection::reason)
                .containsExactly(
                        tuple(0, Choice.Reason.WRONG_NETWORK),
                        tuple(1, Choice.Reason.WRONG_NETWORK),
                        tuple(2, Choice.Reason.WRONG_ASSET),
                        tuple(3, Choice.Reason.WRONG_SCHEME));
        assertThat(unpayable.explanation()).contains("eip155:8453").contains("only \"exact\"");

        PaymentRequired withPayable =
                PaymentRequired.fromHeader(header(v2(accepts + "," + exact("eip155:8453", USDC, "\"5\""))));
        Choice payable = X402Codec.choose(withPayable, 8453, Address.parse(USDC));
        assertThat(payable).isInstanceOf(Choice.Payable.class);
        assertThat(((Choice.Payable) payable).requirement().amount()).hasToString("5");
    }

    @Test
    void refusesARequirementWithoutTheTokensDomain() {
        String offer =
                exact("eip155:8453", USDC, "\"1\"").replace(",\"extra\":{\"name\":\"USDC\",\"version\":\"2\"}", "");
        Choice choice = X402Codec.choose(PaymentRequired.fromHeader(header(v2(offer))), 8453, Address.parse(USDC));

        assertThat(((Choice.Unpayable) choice).rejections().getFirst().reason())
                .isEqualTo(Choice.Reason.NO_TOKEN_DOMAIN);
    }

    @Test
    void refusesASignatureThatIsNot65BytesWithV27Or28() {
        PaymentRequired required = PaymentRequired.fromHeader(header(v2(exact("eip155:8453", USDC, "\"1\""))));
        Requirement requirement = required.requirements().getFirst();
        Authorization authorization =
                Authorization.forRequirement(requirement, Address.parse(PAY_TO), new byte[32], 1000);

        assertThatThrownBy(() -> X402Codec.paymentHeader(required, requirement, authorization, new byte[64]))
                .hasMessageContaining("65 bytes");
        assertThatThrownBy(() -> X402Codec.paymentHeader(required, requirement, authorization, new byte[65]))
                .hasMessageContaining("27 or 28");
    }
}
