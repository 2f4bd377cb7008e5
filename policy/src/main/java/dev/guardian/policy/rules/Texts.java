package dev.guardian.policy.rules;

import dev.guardian.policy.TokenAmount;
import java.time.Duration;

/** How rules write figures in their messages, so that every message reads the same way. */
final class Texts {
    private Texts() {}

    /**
     * A window as people say it: {@code 90m}, {@code 24h}, {@code 7d}. A single day stays {@code 24h}
     * because that is how daily budgets are usually named; anything not whole falls back to ISO-8601.
     */
    static String window(Duration window) {
        long seconds = window.getSeconds();
        if (window.getNano() != 0) {
            return window.toString();
        }
        if (seconds % 86_400 == 0 && seconds > 86_400) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** An approval amount; 2^256-1 is what wallets send for "unlimited", so it is called that. */
    static String approvalAmount(TokenAmount amount) {
        return amount.units().equals(TokenAmount.MAX_UINT256)
                ? "unlimited " + amount.asset().symbol()
                : amount.toString();
    }
}
