package dev.guardian.service.config;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What every feature shares and none owns: the clock. Each feature wires its own beans in its own
 * package-private configuration; this package adds only the clock and the database (embedded, or the
 * refusal to start without one).
 */
@Configuration(proxyBeanMethods = false)
class GuardianConfiguration {

    /** The system clock; tests may supply their own to move time without sleeping. */
    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }
}
