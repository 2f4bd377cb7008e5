package dev.guardian.service.api;

import dev.guardian.service.identity.Callers;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/** Wires authentication onto the agent API, strict JSON reading, and the body size limit onto every request. */
@Configuration
class WebConfiguration implements WebMvcConfigurer {
    private final Callers callers;
    private final ApiProperties api;

    WebConfiguration(Callers callers, ApiProperties api) {
        this.api = api;
        this.callers = callers;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AgentAuthentication(callers)).addPathPatterns("/v1/**");
        // After authentication: it needs to know which agent is calling.
        registry.addInterceptor(new AgentLimits(api.agentRequestsPerSecond(), api.agentConcurrentRequests()))
                .addPathPatterns("/v1/**");
    }

    /**
     * Strict JSON for money: an amount sent as a JSON number (1.5, a binary float in most clients) is
     * refused rather than coerced into text, an unknown field is refused rather than ignored, and a field
     * given twice is refused rather than read as its last value (what a proxy or a log reads first and
     * what Guardian reads last must never differ).
     * Static, so building the JSON mapper does not need this configuration (and its callers, which
     * need the audit log, which needs the JSON mapper).
     */
    @Bean
    static JsonMapperBuilderCustomizer strictRequestJson() {
        return builder -> builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // A number inside a nested policy document must keep every digit it was written with.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .withCoercionConfig(
                        LogicalType.Textual,
                        config -> config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimit(ApiProperties api) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(api.maxBodyBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
