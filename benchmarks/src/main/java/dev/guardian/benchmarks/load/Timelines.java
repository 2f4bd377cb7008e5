package dev.guardian.benchmarks.load;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the database says happened to requests, and when: each request's status and last change (the
 * {@code updatedAt} that {@code GET /v1/requests/{id}} shows, so the instant an agent could first see
 * CONFIRMED), and the instants of its audit records (request-received, decision, signed, submitted,
 * confirmed), which Guardian stamps as it appends them inside the transaction that does the step.
 * Read after a scenario, never during it, so the measurement adds no load.
 */
final class Timelines {
    private static final String UNSETTLED = "('ALLOWED', 'SIGNED', 'SUBMITTED')";

    /**
     * One request's story. {@code events} maps an audit event to its first instant; {@code eventCounts}
     * says how often each was recorded (a re-broadcast records "submitted" again).
     */
    record Timeline(
            UUID id,
            String status,
            Instant createdAt,
            Instant updatedAt,
            Map<String, Instant> events,
            Map<String, Integer> eventCounts) {
        Timeline {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(status, "status");
            events = Map.copyOf(events);
            eventCounts = Map.copyOf(eventCounts);
        }
    }

    private final JdbcClient jdbc;

    Timelines(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Waits until none of {@code ids} is still on its way to the chain (ALLOWED, SIGNED or SUBMITTED),
     * or {@code limit} has passed, and returns how many still are.
     */
    int awaitSettled(Collection<UUID> ids, Duration limit) throws InterruptedException {
        if (ids.isEmpty()) {
            return 0;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            int unsettled = jdbc.sql("select count(*) from requests where id = any(cast(:ids as uuid[])) and status in "
                            + UNSETTLED)
                    .param("ids", array(ids))
                    .query(Integer.class)
                    .single();
            if (unsettled == 0 || System.nanoTime() > deadline) {
                return unsettled;
            }
            Thread.sleep(100);
        }
    }

    /** How many of all requests are still on their way to the chain. */
    int unsettledOverall() {
        return jdbc.sql("select count(*) from requests where status in " + UNSETTLED)
                .query(Integer.class)
                .single();
    }

    Map<UUID, Timeline> read(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String idArray = array(ids);
        Map<UUID, Map<String, Instant>> events = new HashMap<>();
        Map<UUID, Map<String, Integer>> counts = new HashMap<>();
        jdbc.sql(
                        "select request_id, event, recorded_at from audit_log where request_id = any(cast(:ids as uuid[])) order by seq")
                .param("ids", idArray)
                .query(rs -> {
                    UUID id = rs.getObject("request_id", UUID.class);
                    String event = rs.getString("event");
                    events.computeIfAbsent(id, any -> new LinkedHashMap<>())
                            .putIfAbsent(
                                    event,
                                    rs.getObject("recorded_at", OffsetDateTime.class)
                                            .toInstant());
                    counts.computeIfAbsent(id, any -> new HashMap<>()).merge(event, 1, Integer::sum);
                });
        Map<UUID, Timeline> timelines = new HashMap<>();
        jdbc.sql("select id, status, created_at, updated_at from requests where id = any(cast(:ids as uuid[]))")
                .param("ids", idArray)
                .query(rs -> {
                    UUID id = rs.getObject("id", UUID.class);
                    timelines.put(
                            id,
                            new Timeline(
                                    id,
                                    rs.getString("status"),
                                    rs.getObject("created_at", OffsetDateTime.class)
                                            .toInstant(),
                                    rs.getObject("updated_at", OffsetDateTime.class)
                                            .toInstant(),
                                    events.getOrDefault(id, Map.of()),
                                    counts.getOrDefault(id, Map.of())));
                });
        return timelines;
    }

    private static String array(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
    }
}
