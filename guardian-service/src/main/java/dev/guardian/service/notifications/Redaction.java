package dev.guardian.service.notifications;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What of an endpoint and of an attempt's error may be shown, logged, stored or audited. A receiver's
 * URL often carries a credential in its query string (a token parameter) or its user information, and an
 * HTTP client's exception text may quote the URL; neither may reach a log, the API or the audit log, and
 * the signing secret never does.
 */
final class Redaction {
    /** The longest error text kept: enough for an exception's class and message, not for a body or a trace. */
    static final int MAX_ERROR = 300;

    private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>]+");
    private static final Pattern USER_INFO = Pattern.compile("^(https?://)[^/?#@]*@");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}+");

    private Redaction() {}

    /** The endpoint as it may be shown: scheme, host, port and path, without user information, query or fragment. */
    static String endpoint(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', '#'}) {
            int at = url.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return USER_INFO.matcher(url.substring(0, cut)).replaceFirst("$1");
    }

    /**
     * An attempt's error as it may be recorded: every URL in it cut as {@link #endpoint} cuts one, the
     * endpoint's query and the secret (should a message quote them some other way) replaced, control
     * characters (which would forge log lines) folded into spaces, and at most {@link #MAX_ERROR} characters.
     */
    static String error(String text, String endpointUrl, String secret) {
        String cleaned = text;
        if (secret != null && !secret.isEmpty()) {
            cleaned = cleaned.replace(secret, "[redacted]");
        }
        int query = endpointUrl.indexOf('?');
        if (query >= 0 && query < endpointUrl.length() - 1) {
            cleaned = cleaned.replace(endpointUrl.substring(query + 1), "[redacted]");
        }
        Matcher urls = URL.matcher(cleaned);
        StringBuilder out = new StringBuilder();
        while (urls.find()) {
            urls.appendReplacement(out, Matcher.quoteReplacement(endpoint(urls.group())));
        }
        urls.appendTail(out);
        cleaned = CONTROL.matcher(out).replaceAll(" ").strip();
        return cleaned.length() <= MAX_ERROR ? cleaned : cleaned.substring(0, MAX_ERROR - 1) + "…";
    }
}
