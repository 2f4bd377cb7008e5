package dev.guardian.service.sanctions;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens a source's content. Files and classpath resources are streamed as they are. A URL is downloaded
 * to a temporary file first (so that a 121 MB XML is never held in memory, and a broken download is never
 * half-parsed), through a Resilience4j retry (I/O failures, timeouts, HTTP 5xx and 429 only) around a
 * circuit breaker per source, so a dead publisher is not hammered.
 */
final class ListFetcher {
    private final FetchSettings settings;
    private final HttpClient http;
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    ListFetcher(FetchSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** Content to read once and close; {@code modified} is the file's modification time where there is one. */
    record Content(InputStream stream, Optional<Instant> modified, Path temporary) implements Closeable {
        @Override
        public void close() throws IOException {
            try {
                stream.close();
            } finally {
                if (temporary != null) {
                    Files.deleteIfExists(temporary);
                }
            }
        }
    }

    /** A file's size and modification time: what the file watcher compares between polls. */
    record FileStamp(Instant modified, long size) {}

    Content open(SourceSpec source) {
        return switch (source.location()) {
            case ListLocation.Classpath classpath -> {
                InputStream in = ListFetcher.class.getResourceAsStream(classpath.resource());
                if (in == null) {
                    throw new SourceUnavailableException(
                            classpath.describe() + " is not in Guardian's classpath", null, false);
                }
                yield new Content(in, Optional.empty(), null);
            }
            case ListLocation.LocalFile file -> {
                try {
                    Instant modified = Files.getLastModifiedTime(file.path()).toInstant();
                    yield new Content(Files.newInputStream(file.path()), Optional.of(modified), null);
                } catch (NoSuchFileException e) {
                    throw new SourceUnavailableException("the file " + file.describe() + " does not exist", e, false);
                } catch (IOException e) {
                    throw new SourceUnavailableException("cannot read " + file.describe() + ": " + e, e, false);
                }
            }
            case ListLocation.Remote remote -> {
                Path downloaded = download(source.name(), remote);
                try {
                    yield new Content(Files.newInputStream(downloaded), Optional.empty(), downloaded);
                } catch (IOException e) {
                    deleteQuietly(downloaded);
                    throw new SourceUnavailableException(
                            "cannot read the download of " + remote.describe() + ": " + e, e, false);
                }
            }
        };
    }

    /** The file's stamp now, or empty when it does not exist (or cannot be read). */
    static Optional<FileStamp> stamp(ListLocation.LocalFile file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file.path(), BasicFileAttributes.class);
            return Optional.of(new FileStamp(attributes.lastModifiedTime().toInstant(), attributes.size()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** For the status endpoint and tests: the state of a source's circuit, if it has one. */
    Optional<CircuitBreaker.State> circuitState(String source) {
        return Optional.ofNullable(breakers.get(source)).map(CircuitBreaker::getState);
    }

    // Retry outside the breaker: each attempt is counted, and once the circuit opens the next attempt gets
    // CallNotPermittedException, which is not retried. Translating that happens outside both.
    private Path download(String source, ListLocation.Remote remote) {
        Retry retry = retries.computeIfAbsent(
                source,
                name -> Retry.of(
                        "sanctions-" + name,
                        RetryConfig.custom()
                                .maxAttempts(settings.attempts())
                                .intervalFunction(IntervalFunction.ofExponentialBackoff(settings.backoff(), 2.0))
                                .retryOnException(e -> e instanceof SourceUnavailableException s && s.isTransient())
                                .build()));
        CircuitBreaker breaker = breakers.computeIfAbsent(
                source,
                name -> CircuitBreaker.of(
                        "sanctions-" + name,
                        CircuitBreakerConfig.custom()
                                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                                .slidingWindowSize(settings.circuitWindow())
                                .minimumNumberOfCalls(Math.min(3, settings.circuitWindow()))
                                .failureRateThreshold(50)
                                .waitDurationInOpenState(settings.openStateWait())
                                .permittedNumberOfCallsInHalfOpenState(1)
                                .recordException(e -> e instanceof SourceUnavailableException s && s.isTransient())
                                .build()));
        try {
            return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, () -> downloadOnce(remote)))
                    .get();
        } catch (CallNotPermittedException e) {
            throw new SourceUnavailableException(
                    "fetching " + remote.describe() + " is suspended after repeated failures" + " (circuit open for "
                            + settings.openStateWait() + ")",
                    e,
                    false);
        }
    }

    private Path downloadOnce(ListLocation.Remote remote) {
        URI uri = remote.uri();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("User-Agent", "Guardian sanctions screening")
                .GET()
                .build();
        Path target = null;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status != 200) {
                    boolean worthRetrying = status == 429 || status >= 500;
                    throw new SourceUnavailableException(
                            remote.describe() + " answered HTTP " + status, null, worthRetrying);
                }
                long declared =
                        response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > settings.maxBytes()) {
                    throw new SourceUnavailableException(
                            remote.describe() + " announces " + declared + " bytes, more than the "
                                    + settings.maxBytes() + " allowed",
                            null,
                            false);
                }
                target = Files.createTempFile("guardian-sanctions-", ".download");
                copyAtMost(body, target, settings.maxBytes(), remote);
                return target;
            }
        } catch (IOException e) {
            deleteQuietly(target);
            throw new SourceUnavailableException("fetching " + remote.describe() + " failed: " + e, e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteQuietly(target);
            throw new SourceUnavailableException("interrupted while fetching " + remote.describe(), e, false);
        } catch (RuntimeException e) {
            deleteQuietly(target);
            throw e;
        }
    }

    private static void copyAtMost(InputStream body, Path target, long maxBytes, ListLocation.Remote remote)
            throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int read;
            while ((read = body.read(buffer)) >= 0) {
                total += read;
                if (total > maxBytes) {
                    throw new SourceUnavailableException(
                            remote.describe() + " sent more than the " + maxBytes + " bytes allowed", null, false);
                }
                out.write(buffer, 0, read);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind is harmless
        }
    }
}
