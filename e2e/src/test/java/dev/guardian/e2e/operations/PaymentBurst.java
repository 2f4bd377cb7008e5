package dev.guardian.e2e.operations;

import dev.guardian.policy.Address;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Payments sent by several agents at once while something breaks, each with its own Idempotency-Key,
 * retried as a careful agent retries: the same key, again and again, after a pause, on every answer that
 * says "not now" (any 5xx, 429, a 409 for a key still in progress) or no answer at all, against whichever
 * instance the load balancer would pick next. The burst records, per payment, every request id it was
 * given and the final answer, so a test can check that nothing was lost or paid twice.
 */
final class PaymentBurst {
    private static final Duration RETRY_PAUSE = Duration.ofMillis(250);
    private static final Duration BETWEEN_PAYMENTS = Duration.ofMillis(150);

    /** Who pays whom, through which instances. */
    record Payer(AgentSpec agent, Address payee, Supplier<List<URI>> instances) {}

    /** One payment: its key and amount, the ids Guardian answered with (one, if all is well), its last answer. */
    record Payment(
            AgentSpec agent,
            Address payee,
            String key,
            BigDecimal amount,
            Set<String> ids,
            int status,
            String body,
            int attempts) {
        boolean accepted() {
            return status == 202 || status == 200;
        }

        String id() {
            return ids.iterator().next();
        }
    }

    private final List<Future<List<Payment>>> workers = new ArrayList<>();
    private final ExecutorService executor;
    private final AtomicInteger sequence = new AtomicInteger();

    private PaymentBurst(List<Payer> payers, int concurrency, Duration sendFor, Duration patience) {
        this.executor = Executors.newFixedThreadPool(concurrency);
        Instant stopSending = Instant.now().plus(sendFor);
        for (int i = 0; i < concurrency; i++) {
            Payer payer = payers.get(i % payers.size());
            int worker = i;
            workers.add(executor.submit(() -> send(payer, worker, stopSending, patience)));
        }
    }

    /** {@code concurrency} workers over the payers, each sending one payment after another for {@code sendFor}. */
    static PaymentBurst start(List<Payer> payers, int concurrency, Duration sendFor, Duration patience) {
        return new PaymentBurst(payers, concurrency, sendFor, patience);
    }

    /** Every payment, once each has had its final answer (accepted, refused, or given up after {@code patience}). */
    List<Payment> finish() {
        List<Payment> all = new ArrayList<>();
        try {
            for (Future<List<Payment>> worker : workers) {
                all.addAll(worker.get());
            }
            return all;
        } catch (Exception e) {
            throw new IllegalStateException("a payment worker failed", e);
        } finally {
            executor.shutdownNow();
        }
    }

    private List<Payment> send(Payer payer, int worker, Instant stopSending, Duration patience) {
        List<Payment> sent = new ArrayList<>();
        while (Instant.now().isBefore(stopSending)) {
            int n = sequence.incrementAndGet();
            // Distinct amounts, so a payment paid twice or lost shows in the sums.
            BigDecimal amount = new BigDecimal(1 + n % 5).add(new BigDecimal(n).movePointLeft(6));
            sent.add(pay(payer, worker, "burst-" + UUID.randomUUID(), amount, patience));
            GuardianProcess.pause(BETWEEN_PAYMENTS);
        }
        return sent;
    }

    private static Payment pay(Payer payer, int worker, String key, BigDecimal amount, Duration patience) {
        Set<String> ids = Collections.synchronizedSet(new LinkedHashSet<>());
        Instant giveUp = Instant.now().plus(patience);
        int attempt = 0;
        int status = -1;
        String body = "no answer";
        while (Instant.now().isBefore(giveUp)) {
            List<URI> instances = payer.instances().get();
            URI instance = instances.get((worker + attempt++) % instances.size());
            Optional<AgentClient.Response> answer = attempt(instance, payer, key, amount);
            if (answer.isPresent()) {
                status = answer.get().status();
                body = answer.get().raw().body();
                String id = answer.get().text("id");
                if ((status == 202 || status == 200) && id != null) {
                    ids.add(id);
                    // The agent sends it once more, as after a lost answer: the key must name the same request.
                    replay(payer, worker, key, amount).ifPresent(ids::add);
                    return new Payment(
                            payer.agent(), payer.payee(), key, amount, Set.copyOf(ids), status, body, attempt);
                }
                if (status < 500 && status != 429 && status != 409) {
                    return new Payment(
                            payer.agent(), payer.payee(), key, amount, Set.copyOf(ids), status, body, attempt);
                }
            }
            GuardianProcess.pause(RETRY_PAUSE);
        }
        return new Payment(
                payer.agent(), payer.payee(), key, amount, Set.copyOf(ids), status, "gave up: " + body, attempt);
    }

    /** The same payment sent again under its key, to any running instance; the id it answers with, if it answers. */
    private static Optional<String> replay(Payer payer, int worker, String key, BigDecimal amount) {
        List<URI> instances = payer.instances().get();
        return attempt(instances.get((worker + 1) % instances.size()), payer, key, amount)
                .filter(answer -> answer.status() == 200 || answer.status() == 202)
                .map(answer -> answer.text("id"));
    }

    private static Optional<AgentClient.Response> attempt(URI instance, Payer payer, String key, BigDecimal amount) {
        try {
            return Optional.of(new AgentClient(instance, payer.agent().apiKey())
                    .pay(payer.payee().toString(), amount.toPlainString(), Optional.of(key)));
        } catch (RuntimeException noAnswer) {
            // Refused, reset, timed out, or not JSON (a proxy's page): the instance is down or stalled.
            return Optional.empty();
        }
    }
}
