package dev.guardian.service.policies;

import java.util.List;
import java.util.stream.Collectors;

/** A policy document that cannot become a version, with every problem found in it. Nothing was stored. */
public class InvalidPolicyException extends RuntimeException {
    private final List<PolicyProblem> problems;

    public InvalidPolicyException(List<PolicyProblem> problems) {
        super(problems.stream()
                .map(p -> (p.pointer().isEmpty() ? "(document)" : p.pointer()) + ": " + p.message())
                .collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid policy has at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem, ordered by pointer. */
    public List<PolicyProblem> problems() {
        return problems;
    }
}
