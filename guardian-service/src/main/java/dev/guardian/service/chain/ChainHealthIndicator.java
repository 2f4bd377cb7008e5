package dev.guardian.service.chain;

import dev.guardian.policy.ChainId;
import dev.guardian.service.health.BoundedCheck;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The chain's part of readiness ({@code chain} in {@code /actuator/health/readiness}): DOWN while the node
 * cannot be reached, serves another chain, or does not trace calls as simulation needs (see
 * {@link ChainProbe}), and while the adapter's circuit breaker is open (Guardian's own calls are failing).
 * It is not part of liveness: restarting Guardian does not bring a node back.
 *
 * <p>The probe runs as a {@link BoundedCheck}: its outcome is kept for {@code cacheFor}, so that any number
 * of health requests cost the node at most two calls per period, and only one probe is ever in flight. A
 * health request waits at most {@code timeout} for a probe (Kubernetes gives a probe one second by
 * default); one that takes longer answers DOWN, and the probe's outcome, when it comes, serves the next
 * requests. Details hold no part of the RPC URL, which may carry an API key.
 */
final class ChainHealthIndicator implements HealthIndicator {
    private final ChainProbe probe;
    private final CircuitBreaker breaker;
    private final ChainId chainId;
    private final BoundedCheck<ChainProbe.Outcome> check;

    ChainHealthIndicator(
            ChainProbe probe,
            CircuitBreaker breaker,
            ChainId chainId,
            Duration cacheFor,
            Duration timeout,
            Clock clock) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.chainId = Objects.requireNonNull(chainId, "chainId");
        this.check = new BoundedCheck<>("chain-readiness-probe", probe::probe, cacheFor, timeout, clock);
    }

    @Override
    public Health health() {
        CircuitBreaker.State state = breaker.getState();
        BoundedCheck.Checked<ChainProbe.Outcome> checked = null;
        String problem;
        try {
            checked = check.current();
            problem = checked.outcome().problem().orElse(null);
        } catch (TimeoutException e) {
            problem = "the chain did not answer the readiness probe within "
                    + check.timeout().toMillis() + " ms";
        } catch (ExecutionException e) {
            problem = "the readiness probe failed: " + probe.withoutRpcUrl(String.valueOf(e.getCause()));
        }
        if (problem == null && (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN)) {
            // The node answers the probe, but Guardian's own calls have been failing (timeouts, resets under
            // load): requests would get 503 until the breaker lets calls through again.
            problem = "the chain circuit breaker is open: Guardian's calls to the chain have been failing";
        }
        Health.Builder health = problem == null ? Health.up() : Health.down().withDetail("problem", problem);
        health.withDetail("chainId", chainId.value());
        if (checked != null) {
            checked.outcome().servedChainId().ifPresent(served -> health.withDetail("servedChainId", served));
            health.withDetail("checkedAt", checked.at().toString())
                    .withDetail("probeMillis", checked.outcome().took().toMillis());
        }
        return health.withDetail("circuitBreaker", state.name()).build();
    }
}
