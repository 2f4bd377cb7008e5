package dev.guardian.service.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What of a receiver's URL and of an attempt's error may leave the dispatcher. */
class RedactionTest {
    private static final String SECRET = "signing-secret-0123456789-abcdefghijkl";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "https://hooks.example.com/guardian, https://hooks.example.com/guardian",
        "https://hooks.example.com/guardian?token=abc&x=1, https://hooks.example.com/guardian",
        "https://hooks.example.com:8443/in#frag, https://hooks.example.com:8443/in",
        "https://user:p4ss@hooks.example.com/in?token=abc, https://hooks.example.com/in",
        "http://127.0.0.1:9000?token=abc, http://127.0.0.1:9000",
    })
    void showsAnEndpointWithoutItsQueryFragmentOrUserInformation(String url, String shown) {
        assertThat(Redaction.endpoint(url)).isEqualTo(shown);
    }

    @Test
    void anErrorKeepsItsMeaningAndLosesEverySecret() {
        String url = "https://user:p4ss@hooks.example.com/in?token=q-secret-1234";
        String error = Redaction.error(
                "IOException: could not reach " + url + " (with " + SECRET + "; token=q-secret-1234)\nforged line",
                url,
                SECRET);

        assertThat(error)
                .isEqualTo("IOException: could not reach https://hooks.example.com/in (with [redacted]; [redacted])"
                        + " forged line")
                .doesNotContain("p4ss")
                .doesNotContain("q-secret-1234")
                .doesNotContain(SECRET);
    }

    @Test
    void anErrorIsBounded() {
        String error = Redaction.error("x".repeat(10_000), "https://hooks.example.com/in", SECRET);

        assertThat(error).hasSize(Redaction.MAX_ERROR).endsWith("…");
    }
}
