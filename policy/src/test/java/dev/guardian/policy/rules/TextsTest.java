package dev.guardian.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.TestData;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextsTest {

    @ParameterizedTest
    @CsvSource({
        "PT24H, 24h",
        "PT1H, 1h",
        "PT48H, 2d",
        "P7D, 7d",
        "PT36H, 36h",
        "PT90M, 90m",
        "PT30S, 30s",
        "PT0.5S, PT0.5S"
    })
    void writesWindowsAsPeopleSayThem(Duration window, String text) {
        assertThat(Texts.window(window)).isEqualTo(text);
    }

    @Test
    void callsTheMaximumAllowanceUnlimited() {
        assertThat(Texts.approvalAmount(TestData.unlimited(TestData.USDC))).isEqualTo("unlimited USDC");
        assertThat(Texts.approvalAmount(TestData.usdc("250"))).isEqualTo("250 USDC");
    }
}
