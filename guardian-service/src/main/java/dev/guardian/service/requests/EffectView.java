package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.effects.UnknownEvent;
import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * One simulated effect in human units, with the raw smallest units alongside, as agents, approvers and the
 * database see it. {@code TRANSFER}: {@code amount} of {@code asset} from {@code from} to {@code to}, moved by
 * {@code operator} when a spender used an allowance. {@code APPROVAL}: {@code from} lets {@code to} spend
 * {@code amount} ({@code allowance} says which kind). {@code UNKNOWN_EVENT}: {@code from} emitted an event
 * with signature {@code topic} at call depth {@code depth}. Fields that do not apply are null.
 */
public record EffectView(
        String type,
        String asset,
        String amount,
        String units,
        String from,
        String to,
        String operator,
        String allowance,
        String topic,
        Integer depth) {
    private static final String UNKNOWN_TOKEN = "unknown token ";

    /** Every address the effect names (sender, recipient, operator or spender): what screening looks at. */
    public Set<Address> parties() {
        Set<Address> parties = new LinkedHashSet<>();
        for (String party : new String[] {from, to, operator}) {
            if (party != null && party.startsWith("0x") && party.length() == 42) {
                parties.add(Address.parseLenient(party));
            }
        }
        return parties;
    }

    public static EffectView of(Effect effect) {
        return switch (effect) {
            case Transfer t ->
                new EffectView(
                        "TRANSFER",
                        t.amount().asset().symbol(),
                        t.amount().toDecimalString(),
                        t.amount().units().toString(),
                        t.from().toString(),
                        t.to().toString(),
                        t.operator().map(Address::toString).orElse(null),
                        null,
                        null,
                        null);
            case Approval a ->
                new EffectView(
                        "APPROVAL",
                        a.amount().asset().symbol(),
                        a.amount().toDecimalString(),
                        a.amount().units().toString(),
                        a.owner().toString(),
                        a.spender().toString(),
                        null,
                        a.kind() == Approval.Kind.ERC20 ? null : a.kind().name(),
                        null,
                        null);
            case UnknownEvent u ->
                new EffectView(
                        "UNKNOWN_EVENT",
                        null,
                        null,
                        null,
                        u.emitter().toString(),
                        null,
                        null,
                        null,
                        u.topic0(),
                        u.depth());
        };
    }

    /**
     * The effect this view was made from, for judging a recorded request again (a dry run). Amounts are
     * read from the exact smallest units, never from the decimal text.
     */
    public Effect toEffect(AssetRegistry assets) {
        if (type.equals("UNKNOWN_EVENT")) {
            return new UnknownEvent(Address.parseLenient(from), topic, depth);
        }
        TokenAmount value = new TokenAmount(resolve(asset, assets), new BigInteger(units));
        return switch (type) {
            case "TRANSFER" ->
                new Transfer(
                        value,
                        Address.parseLenient(from),
                        Address.parseLenient(to),
                        Optional.ofNullable(operator).map(Address::parseLenient));
            case "APPROVAL" ->
                new Approval(
                        value,
                        Address.parseLenient(from),
                        Address.parseLenient(to),
                        allowance == null ? Approval.Kind.ERC20 : Approval.Kind.valueOf(allowance));
            default -> throw new IllegalStateException("a recorded effect of unknown type " + type);
        };
    }

    private static Asset resolve(String symbol, AssetRegistry assets) {
        if (symbol.startsWith(UNKNOWN_TOKEN)) {
            return new Asset.UnknownToken(Address.parseLenient(symbol.substring(UNKNOWN_TOKEN.length())));
        }
        return assets.bySymbol(symbol)
                .orElseThrow(() -> new IllegalStateException(
                        "a recorded effect names asset " + symbol + ", which this deployment no longer knows"));
    }
}
