package dev.guardian.service.api;

import dev.guardian.policy.AgentId;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * One agent cannot starve the others: every call an agent makes counts against its own rate (calls per
 * second), and its requests that are judged (payments, contract calls) against its own concurrency, so no
 * agent holds more than a few database connections waiting for its decision lock or more than its share
 * of the chain. Checked after authentication and before any database transaction of the request path;
 * a call over either limit gets 429 problem+json with {@code Retry-After}, and nothing is recorded.
 * People's calls are not limited here. Limits are per instance.
 */
class AgentLimits implements HandlerInterceptor {
    private static final String HELD = AgentLimits.class.getName() + ".held";

    private final RateLimiterRegistry rates;
    private final int concurrent;
    private final ConcurrentMap<AgentId, Semaphore> inFlight = new ConcurrentHashMap<>();

    AgentLimits(int requestsPerSecond, int concurrent) {
        this.rates = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(requestsPerSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
        this.concurrent = concurrent;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(request.getAttribute(AgentAuthentication.AGENT_ATTRIBUTE) instanceof AgentId agent)) {
            return true;
        }
        RateLimiter rate = rates.rateLimiter(agent.value());
        if (!rate.acquirePermission()) {
            // The rate refills every second, and Retry-After is in whole seconds: the next second has room.
            throw new ApiExceptions.TooManyRequests(
                    "agent " + agent + " made more than "
                            + rate.getRateLimiterConfig().getLimitForPeriod()
                            + " calls in a second; nothing was recorded",
                    Duration.ofSeconds(1));
        }
        if (judged(request)) {
            Semaphore permits = inFlight.computeIfAbsent(agent, a -> new Semaphore(concurrent));
            if (!permits.tryAcquire()) {
                throw new ApiExceptions.TooManyRequests(
                        "agent " + agent + " already has " + concurrent
                                + " requests being judged; send the next when one is answered. Nothing was recorded",
                        Duration.ofSeconds(1));
            }
            request.setAttribute(HELD, permits);
        }
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception e) {
        if (request.getAttribute(HELD) instanceof Semaphore permits) {
            permits.release();
        }
    }

    /** The calls that go through the request path: every agent call that is not a read. */
    private static boolean judged(HttpServletRequest request) {
        return !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
    }
}
