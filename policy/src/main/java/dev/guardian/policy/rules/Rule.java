package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import java.util.List;

/** One rule of a policy: the reasons it holds or stops the request, or an empty list when it passes. */
@FunctionalInterface
public interface Rule {
    List<Reason> check(Evaluation evaluation);
}
