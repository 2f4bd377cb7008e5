package dev.guardian.service.config;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The sanctions list screened against: a classpath resource or file of 0x addresses, and its as-of date. */
@Validated
@ConfigurationProperties("guardian.sanctions")
public record SanctionsProperties(@NotBlank String list, @NotBlank String asOf) {}
