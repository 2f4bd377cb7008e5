package dev.guardian.service.policies;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one normal form of an x402 origin ({@code https://api.example.com}, {@code http://localhost:8080}),
 * for the origins a policy lists and for the resource URL an x402 payment is for, so the two compare as
 * plain strings. The rules are strict because a lenient parser is where two readers of one URL disagree:
 * the scheme is {@code https} ({@code http} only for {@code localhost} and {@code 127.0.0.1}, so tests can
 * pay a local server), the host is a lower-case DNS name or a dotted IPv4 address written in ASCII (an
 * internationalised name in its {@code xn--} form), the default port is dropped, and user info,
 * wildcards, whitespace, IPv6 literals and anything a browser would read differently (backslashes,
 * percent-encoded or numeric-looking hosts) are refused.
 */
public final class X402Origins {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4_PART = Pattern.compile("0|[1-9][0-9]{0,2}");
    /** A last label a WHATWG URL parser would read as a number, making the whole host an IPv4 address. */
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("[0-9]+|0x[0-9a-f]*");

    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final String HTTPS_ONLY =
            "must use https (http only for localhost or 127.0.0.1, for a server on this machine)";

    private X402Origins() {}

    /**
     * The origin of an x402 resource URL: its scheme, host and port, in the form a policy lists them. The
     * path, query and fragment are dropped; everything before them follows the rules of a listed origin.
     *
     * @throws IllegalArgumentException saying what is wrong, when the URL is not one Guardian would pay
     */
    public static String originOf(String url) {
        return parse(url, true);
    }

    /**
     * A listed origin in normal form. Only the scheme, host and port may be given; a lone trailing
     * {@code /} (the same origin, RFC 3986 6.2.3) is accepted and dropped.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String normalise(String origin) {
        return parse(origin, false);
    }

    private static String parse(String text, boolean resource) {
        String what = resource ? "an x402 resource URL" : "an x402 origin";
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(what + " must not contain whitespace or control characters");
            }
            if (c > 0x7f) {
                throw new IllegalArgumentException(what + " must be ASCII: write an internationalised host in its"
                        + " punycode (xn--) form and percent-encode the rest");
            }
        }
        int schemeEnd = text.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException(what + " starts with https:// (scheme, host and optional port)");
        }
        String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException(what + " " + HTTPS_ONLY);
        }
        String rest = text.substring(schemeEnd + 3);
        int authorityEnd = firstOf(rest, "/?#");
        String authority = rest.substring(0, authorityEnd);
        String tail = rest.substring(authorityEnd);
        if (!resource && !tail.isEmpty() && !tail.equals("/")) {
            throw new IllegalArgumentException(
                    what + " has no path, query or fragment: scheme, host and optional port only");
        }
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException(what + " must not carry user info (user:password@)");
        }
        if (authority.indexOf('*') >= 0) {
            throw new IllegalArgumentException(what + " must not be a wildcard: list each origin the agent may pay");
        }
        if (authority.startsWith("[")) {
            throw new IllegalArgumentException(what + " must name its host by DNS name or IPv4 address, not IPv6");
        }
        int colon = authority.indexOf(':');
        String host = (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
        String port = colon < 0 ? null : authority.substring(colon + 1);
        checkHost(what, host);
        if (scheme.equals("http") && !host.equals("localhost") && !host.equals("127.0.0.1")) {
            throw new IllegalArgumentException(what + " " + HTTPS_ONLY);
        }
        String origin = scheme + "://" + host;
        if (port != null) {
            if (!PORT.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
                throw new IllegalArgumentException(what + " has a port from 1 to 65535 after the colon, if any");
            }
            int number = Integer.parseInt(port);
            boolean defaultPort = scheme.equals("https") ? number == 443 : number == 80;
            if (!defaultPort) {
                origin += ":" + number;
            }
        }
        return origin;
    }

    private static void checkHost(String what, String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException(what + " names a host after the scheme");
        }
        if (host.length() > 253) {
            throw new IllegalArgumentException(what + " has a host name of at most 253 characters");
        }
        if (host.endsWith(".")) {
            throw new IllegalArgumentException(what + " names its host without a trailing dot");
        }
        String[] labels = host.split("\\.", -1);
        if (NUMERIC_LOOKING.matcher(labels[labels.length - 1]).matches()) {
            if (!isDottedQuad(labels)) {
                throw new IllegalArgumentException(
                        what + " names an IPv4 host as four decimal numbers from 0 to 255, such as 127.0.0.1");
            }
            return;
        }
        for (String label : labels) {
            if (!DNS_LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException(what + " has a host of DNS labels (letters, digits and inner"
                        + " hyphens, 1 to 63 each, separated by dots)");
            }
        }
    }

    private static boolean isDottedQuad(String[] labels) {
        if (labels.length != 4) {
            return false;
        }
        for (String label : labels) {
            if (!IPV4_PART.matcher(label).matches() || Integer.parseInt(label) > 255) {
                return false;
            }
        }
        return true;
    }

    private static int firstOf(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }
}
