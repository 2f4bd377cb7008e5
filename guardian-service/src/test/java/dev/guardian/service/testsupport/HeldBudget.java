package dev.guardian.service.testsupport;

import dev.guardian.service.requests.Reservation;
import dev.guardian.service.requests.Reservations;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** What a request holds against its budgets now, read through the service's own {@link Reservations}. */
public final class HeldBudget {
    private HeldBudget() {}

    /** The request's reservations that no later one replaced: what it holds now, or how that ended. */
    public static List<Reservation> current(GuardianInstance guardian, UUID request) {
        List<Reservation> all = guardian.bean(Reservations.class).ofRequest(request);
        Set<Long> replaced = all.stream().flatMap(r -> r.replaces().stream()).collect(Collectors.toSet());
        return all.stream().filter(r -> !replaced.contains(r.id())).toList();
    }

    public static List<Reservation> current(GuardianInstance guardian, String request) {
        return current(guardian, UUID.fromString(request));
    }

    /**
     * {@code PENDING}, {@code POSTED}, {@code VOIDED} or {@code EXPIRED}: the one state all its current
     * reservations are in (a request settles all of them at once).
     */
    public static String state(GuardianInstance guardian, UUID request) {
        Set<String> states = current(guardian, request).stream()
                .map(r -> r.outcome().map(o -> o.kind().name()).orElse("PENDING"))
                .collect(Collectors.toSet());
        if (states.size() != 1) {
            throw new AssertionError("request " + request + " holds reservations in states " + states);
        }
        return states.iterator().next();
    }

    public static String state(GuardianInstance guardian, String request) {
        return state(guardian, UUID.fromString(request));
    }
}
