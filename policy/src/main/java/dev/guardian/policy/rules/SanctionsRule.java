package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.List;

/**
 * Denies when any touched address is on a sanctions list, one reason per address. A hit never
 * escalates: no approver may lawfully wave a payment to a sanctioned party through.
 */
final class SanctionsRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        if (evaluation.screening().isEmpty()) {
            return List.of(); // nothing was screened because nothing would happen: the simulation did not succeed
        }
        ScreeningResult screening = evaluation.screening().get();
        // Sorted so that the same request always lists its hits in the same order.
        return screening.hits().stream()
                .sorted()
                .map(hit -> sanctioned(hit, screening.listVersion()))
                .toList();
    }

    private static Reason sanctioned(Address hit, String listVersion) {
        return Reason.deny(RuleId.SANCTIONS_HIT, hit + " is on the sanctions list (" + listVersion + ")")
                .about(hit);
    }
}
