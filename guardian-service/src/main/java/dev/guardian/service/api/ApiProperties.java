package dev.guardian.service.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the HTTP API: the largest request body, and per agent the calls per second and the requests
 * being judged at once.
 */
@Validated
@ConfigurationProperties("guardian.api")
record ApiProperties(
        @Min(1024) @Max(10_485_760) @DefaultValue("65536") int maxBodyBytes,
        @Min(1) @Max(100_000) @DefaultValue("50") int agentRequestsPerSecond,
        @Min(1) @Max(1_000) @DefaultValue("4") int agentConcurrentRequests) {}
