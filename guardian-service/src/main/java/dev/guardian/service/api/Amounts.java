package dev.guardian.service.api;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;

/** Reads a whole-unit decimal from a request body into smallest units, or says which field is wrong. */
final class Amounts {
    private Amounts() {}

    static TokenAmount parse(String pointer, Asset asset, String decimal) {
        try {
            return TokenAmount.parse(asset, decimal);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ApiExceptions.InvalidField(pointer, e.getMessage());
        }
    }
}
