package dev.guardian.service.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Limits of the HTTP API. */
@Validated
@ConfigurationProperties("guardian.api")
record ApiProperties(
        @Min(1024) @Max(10_485_760) @DefaultValue("65536") int maxBodyBytes) {}
