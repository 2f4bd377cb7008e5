package dev.guardian.service.config;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * What every feature shares and none owns: the clock. Each feature wires its own beans in its own
 * package-private configuration; this package adds only the clock and the database (embedded, or the
 * refusal to start without one).
 */
@Configuration(proxyBeanMethods = false)
class GuardianConfiguration {

    /** The system clock; tests may supply their own to move time without sleeping. */
    /**
     * The background jobs' scheduler: a few threads, so a slow job (a webhook receiver that never answers, a
     * chain read that times out) does not hold up the others. Spring Boot's default with virtual threads runs
     * every fixed-delay job on one thread: a stalled webhook pass would stall signing and receipts with it.
     */
    @Bean
    @ConditionalOnMissingBean(TaskScheduler.class)
    ThreadPoolTaskScheduler taskScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(6);
        scheduler.setThreadNamePrefix("guardian-worker-");
        scheduler.setWaitForTasksToCompleteOnShutdown(true);
        scheduler.setAwaitTerminationSeconds(10);
        return scheduler;
    }

    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }
}
