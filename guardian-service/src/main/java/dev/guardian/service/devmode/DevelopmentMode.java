package dev.guardian.service.devmode;

import dev.guardian.service.devchain.AnvilOptions;
import dev.guardian.service.devchain.AnvilProcess;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Present only with {@code guardian.dev.enabled=true} (the {@code dev} profile). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "guardian.dev.enabled", havingValue = "true")
class DevelopmentMode {

    @Bean(destroyMethod = "close")
    AnvilProcess developmentAnvil(DevProperties dev) {
        return AnvilProcess.start(AnvilOptions.defaults().withPort(dev.anvilPort()));
    }

    @Bean(destroyMethod = "close")
    LocalDevelopment developmentEnvironment(AnvilProcess anvil, DevProperties dev) {
        return new LocalDevelopment(anvil, dev.kekFile());
    }

    @Bean
    DevelopmentBanner developmentBanner(LocalDevelopment development) {
        return new DevelopmentBanner(development);
    }
}
