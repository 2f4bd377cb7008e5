package dev.guardian.service.config;

import dev.guardian.service.startup.StartupRefusal;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Present only when no database is configured and no throw-away one is allowed ({@link DatabaseChoice}):
 * stops start-up after the configuration is read and before any bean is created, so a refused start
 * connects to no chain, writes no administrator token and generates no wallet key.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(DatabaseChoice.Missing.class)
class NoDatabaseConfiguration {

    @Bean
    static BeanFactoryPostProcessor refuseToStartWithoutDatabase() {
        return beanFactory -> {
            throw new NoDatabaseException(DatabaseChoice.problem() + " " + DatabaseChoice.action());
        };
    }

    /** Start-up refused: nothing to run on. Its message says what to configure. */
    static final class NoDatabaseException extends StartupRefusal {
        NoDatabaseException(String message) {
            super(DatabaseChoice.URL, message);
        }
    }
}
