package dev.guardian.service.api;

import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.config.ApiProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Wires authentication onto the agent API and the body size limit onto every request. */
@Configuration
class WebConfiguration implements WebMvcConfigurer {
    private final AgentDirectory agents;

    WebConfiguration(AgentDirectory agents) {
        this.agents = agents;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AgentAuthentication(agents)).addPathPatterns("/v1/**");
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimit(ApiProperties api) {
        FilterRegistrationBean<BodySizeLimitFilter> registration = new FilterRegistrationBean<>(new BodySizeLimitFilter(api.maxBodyBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
