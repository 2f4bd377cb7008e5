package dev.guardian.service.notifications;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where notifications go and how hard Guardian tries.
 *
 * @param endpoints   each receiver's URL and shared secret (at least 32 characters)
 * @param maxAttempts a delivery is DEAD (kept, listed, re-sendable by an administrator) after this many tries
 * @param firstRetry  the wait after the first failure; it doubles after each further one, up to {@code maxRetry}
 * @param metricsCacheFor how long the delivery counts behind the {@code guardian.webhooks.deliveries} gauge are reused
 */
@Validated
@ConfigurationProperties("guardian.webhooks")
record WebhookProperties(
        @Valid @DefaultValue List<Endpoint> endpoints,
        @Min(1) @Max(50) @DefaultValue("10") int maxAttempts,
        @NotNull @DefaultValue("1s") Duration firstRetry,
        @NotNull @DefaultValue("10m") Duration maxRetry,
        @NotNull @DefaultValue("5s") Duration timeout,
        @NotNull @DefaultValue("1s") Duration dispatchInterval,
        @NotNull @DefaultValue("5s") Duration metricsCacheFor) {

    public record Endpoint(
            @NotNull @Pattern(regexp = "https?://.+", message = "must be an http(s) URL")
            String url,

            @NotNull @Size(min = 32, message = "must be at least 32 characters") String secret) {
        public URI uri() {
            return URI.create(url);
        }

        @Override
        public String toString() {
            return "Endpoint[url=" + url + ", secret=redacted]";
        }
    }
}
