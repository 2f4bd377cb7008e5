package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.Transfer;
import java.math.BigInteger;

/** One simulated effect in human units, with the raw smallest units alongside. */
public record EffectView(String type, String asset, String amount, String units, String from, String to) {
    public static EffectView of(Effect effect) {
        return switch (effect) {
            case Transfer t ->
                new EffectView(
                        "TRANSFER",
                        t.amount().asset().symbol(),
                        t.amount().toDecimalString(),
                        t.amount().units().toString(),
                        t.from().toString(),
                        t.to().toString());
            case Approval a ->
                new EffectView(
                        "APPROVAL",
                        a.amount().asset().symbol(),
                        a.amount().toDecimalString(),
                        a.amount().units().toString(),
                        a.owner().toString(),
                        a.spender().toString());
        };
    }

    /**
     * The effect this view was made from, for judging a recorded request again (a dry run). Amounts are
     * read from the exact smallest units, never from the decimal text.
     */
    public Effect toEffect(AssetRegistry assets) {
        Asset asset = resolve(this.asset, assets);
        TokenAmount amount = new TokenAmount(asset, new BigInteger(units));
        return switch (type) {
            case "TRANSFER" -> new Transfer(amount, Address.parseLenient(from), Address.parseLenient(to));
            case "APPROVAL" -> new Approval(amount, Address.parseLenient(from), Address.parseLenient(to));
            default -> throw new IllegalStateException("a recorded effect of unknown type " + type);
        };
    }

    private static final String UNKNOWN_TOKEN = "unknown token ";

    private static Asset resolve(String symbol, AssetRegistry assets) {
        if (symbol.startsWith(UNKNOWN_TOKEN)) {
            return new Asset.UnknownToken(Address.parseLenient(symbol.substring(UNKNOWN_TOKEN.length())));
        }
        return assets.bySymbol(symbol)
                .orElseThrow(() -> new IllegalStateException(
                        "a recorded effect names asset " + symbol + ", which this deployment no longer knows"));
    }
}
