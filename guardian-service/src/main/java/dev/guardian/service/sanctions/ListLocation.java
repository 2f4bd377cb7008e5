package dev.guardian.service.sanctions;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a list is read from: a resource shipped in Guardian ({@code classpath:/sanctions/...}), a file
 * that operators (or a sync job) keep up to date, or an HTTPS URL that Guardian fetches on a schedule.
 * Plain HTTP is accepted only for a loopback host (a local mirror, or a test).
 */
public sealed interface ListLocation {

    /** A form safe for logs and records: a URL without user info, query or fragment (they may hold credentials). */
    String describe();

    /** The last segment of the path, e.g. {@code sdn_advanced.xml}: the default name of a source. */
    String fileName();

    record Classpath(String resource) implements ListLocation {
        public Classpath {
            Objects.requireNonNull(resource, "resource");
            if (!resource.startsWith("/")) {
                throw new IllegalArgumentException(
                        "a classpath resource is an absolute path, e.g. classpath:/sanctions/list.txt");
            }
        }

        @Override
        public String describe() {
            return "classpath:" + resource;
        }

        @Override
        public String fileName() {
            return resource.substring(resource.lastIndexOf('/') + 1);
        }
    }

    record LocalFile(Path path) implements ListLocation {
        public LocalFile {
            Objects.requireNonNull(path, "path");
            path = path.toAbsolutePath().normalize();
        }

        @Override
        public String describe() {
            return path.toString();
        }

        @Override
        public String fileName() {
            return path.getFileName() == null
                    ? path.toString()
                    : path.getFileName().toString();
        }
    }

    record Remote(URI uri) implements ListLocation {
        public Remote {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("a list URL needs a host: " + uri);
            }
            if (scheme.equals("http") && !isLoopback(uri.getHost())) {
                throw new IllegalArgumentException(
                        "a list URL must be https (plain http only to a loopback host): " + safe(uri));
            }
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException("a list URL must be https: " + safe(uri));
            }
        }

        @Override
        public String describe() {
            return safe(uri);
        }

        @Override
        public String fileName() {
            String path = uri.getPath() == null ? "" : uri.getPath();
            String last = path.substring(path.lastIndexOf('/') + 1);
            return last.isEmpty() ? uri.getHost() : last;
        }

        private static String safe(URI uri) {
            try {
                return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
                        .toString();
            } catch (URISyntaxException e) {
                return uri.getScheme() + "://" + uri.getHost();
            }
        }

        private static boolean isLoopback(String host) {
            if (host.equalsIgnoreCase("localhost")) {
                return true;
            }
            // Only literal IPs: resolving a name here would make the check depend on DNS.
            if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+]")) {
                return false;
            }
            try {
                return InetAddress.getByName(host.replace("[", "").replace("]", ""))
                        .isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }

    /** {@code classpath:/...}, {@code https://...} (or {@code http://} to loopback), otherwise a file path. */
    static ListLocation parse(String text) {
        Objects.requireNonNull(text, "location");
        String location = text.strip();
        if (location.isEmpty()) {
            throw new IllegalArgumentException("a location is needed");
        }
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("classpath:")) {
            return new Classpath(location.substring("classpath:".length()));
        }
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            try {
                return new Remote(new URI(location));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a valid URL: " + e.getMessage());
            }
        }
        if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("a list is read from a file, a classpath: resource or an https URL, not "
                    + location.substring(0, location.indexOf(':')));
        }
        if (lower.startsWith("file:")) {
            return new LocalFile(Path.of(URI.create(location)));
        }
        return new LocalFile(Path.of(location));
    }
}
