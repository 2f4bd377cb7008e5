package dev.guardian.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** ChainId, AgentId and WalletId: the small identifiers every request carries. */
class IdentifiersTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 8453, 84532, 31337})
    void acceptsPositiveChainIds(long id) {
        assertThat(new ChainId(id)).hasToString(Long.toString(id));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void rejectsChainIdsThatAreNotPositive(long id) {
        assertThatThrownBy(() -> new ChainId(id)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"research-bot", "a", "7", "bot-2-main"})
    void acceptsLowerCaseNamesWithDigitsAndDashes(String name) {
        assertThat(new AgentId(name)).hasToString(name);
        assertThat(new WalletId(name)).hasToString(name);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "Research-bot",
                "-bot",
                "research bot",
                "research_bot",
                "bot/1",
                "bötchen",
                "a123456789012345678901234567890123456789012345678901234567890123"
            })
    void rejectsNamesOutsideTheForm(String name) {
        assertThatThrownBy(() -> new AgentId(name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WalletId(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsTheLongestName() {
        String sixtyThree = "a".repeat(63);
        assertThat(new AgentId(sixtyThree).value()).hasSize(63);
    }
}
