package dev.guardian.benchmarks.load;

import dev.guardian.service.testsupport.AgentClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Sends a fixed number of requests from a fixed number of client threads, each sending its next request
 * as soon as it has the answer to the previous one (a closed loop: the figures are what that many
 * impatient clients get, not what an open stream of arrivals at a given rate would get). Stops at the
 * count or at the time limit, whichever comes first.
 */
final class ClosedLoop {
    /** What one run sent and how long it took, from the first send to the last answer. */
    record Run(List<Sent> sent, Instant startedAt, Duration elapsed, boolean stoppedByTimeLimit) {
        Run {
            sent = List.copyOf(sent);
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }

    private ClosedLoop() {}

    /**
     * @param request sends request number {@code i} (0 to total - 1) and returns the answer; an exception
     *                counts as a request without answer
     */
    static Run run(int threads, int total, Duration limit, IntFunction<AgentClient.Response> request) {
        if (threads < 1 || total < 1) {
            throw new IllegalArgumentException("threads and total must be positive, were " + threads + " and " + total);
        }
        Sent[] results = new Sent[total];
        AtomicInteger next = new AtomicInteger();
        long deadline = System.nanoTime() + limit.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(
                threads, Thread.ofPlatform().name("client-", 0).factory());
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            clients.execute(() -> {
                for (int i = next.getAndIncrement();
                        i < total && System.nanoTime() < deadline;
                        i = next.getAndIncrement()) {
                    results[i] = send(i, request);
                }
            });
        }
        clients.shutdown();
        try {
            // Each request times out after 30 s (AgentClient), so the last ones end soon after the deadline.
            if (!clients.awaitTermination(limit.toSeconds() + 60, TimeUnit.SECONDS)) {
                clients.shutdownNow();
                throw new IllegalStateException("client threads did not finish within " + limit + " and a minute");
            }
        } catch (InterruptedException e) {
            clients.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the clients ran", e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        List<Sent> sent = Arrays.stream(results).filter(Objects::nonNull).toList();
        return new Run(sent, startedAt, elapsed, sent.size() < total);
    }

    private static Sent send(int index, IntFunction<AgentClient.Response> request) {
        Instant sentAt = Instant.now();
        long start = System.nanoTime();
        try {
            AgentClient.Response answer = request.apply(index);
            long latency = System.nanoTime() - start;
            // A request's answer names it "id" and has a status; a refusal (problem+json) has "requestId" and a type.
            Optional<UUID> id = Optional.ofNullable(answer.text("id"))
                    .or(() -> Optional.ofNullable(answer.text("requestId")))
                    .map(UUID::fromString);
            Optional<String> status =
                    Optional.ofNullable(answer.text("type")).or(() -> Optional.ofNullable(answer.text("status")));
            return new Sent(index, sentAt, latency, answer.status(), id, status, Optional.empty());
        } catch (RuntimeException e) {
            return new Sent(
                    index,
                    sentAt,
                    System.nanoTime() - start,
                    -1,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }
}
