package dev.guardian.service.requests;

import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.Transfer;

/** One simulated effect in human units, with the raw smallest units alongside. */
public record EffectView(String type, String asset, String amount, String units, String from, String to) {
    public static EffectView of(Effect effect) {
        return switch (effect) {
            case Transfer t -> new EffectView("TRANSFER", t.amount().asset().symbol(), t.amount().toDecimalString(),
                    t.amount().units().toString(), t.from().toString(), t.to().toString());
            case Approval a -> new EffectView("APPROVAL", a.amount().asset().symbol(), a.amount().toDecimalString(),
                    a.amount().units().toString(), a.owner().toString(), a.spender().toString());
        };
    }
}
