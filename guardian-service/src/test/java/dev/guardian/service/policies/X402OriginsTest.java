package dev.guardian.service.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class X402OriginsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://api.example.com              | https://api.example.com
            HTTPS://API.Example.COM              | https://api.example.com
            https://api.example.com:443          | https://api.example.com
            https://api.example.com:8443         | https://api.example.com:8443
            https://api.example.com/             | https://api.example.com
            https://api.example.com:00443        | https://api.example.com
            http://localhost:8080                | http://localhost:8080
            http://LOCALHOST:3000                | http://localhost:3000
            http://127.0.0.1:80                  | http://127.0.0.1
            https://localhost:443                | https://localhost
            https://10.0.0.1:8443                | https://10.0.0.1:8443
            https://xn--bcher-kva.example        | https://xn--bcher-kva.example
            https://a-b.c0.example               | https://a-b.c0.example
            """)
    void normalisesAListedOrigin(String written, String normal) {
        assertThat(X402Origins.normalise(written)).isEqualTo(normal);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            http://api.example.com                 | must use https (http only for localhost or 127.0.0.1
            http://localhost.evil.example          | must use https (http only for localhost or 127.0.0.1
            http://127.0.0.2                       | must use https (http only for localhost or 127.0.0.1
            ftp://api.example.com                  | must use https
            api.example.com                        | starts with https://
            //api.example.com                      | starts with https://
            https:/api.example.com                 | starts with https://
            https://api.example.com/v1             | has no path, query or fragment
            https://api.example.com//              | has no path, query or fragment
            https://api.example.com?x=1            | has no path, query or fragment
            https://api.example.com#top            | has no path, query or fragment
            https://user:pw@api.example.com        | must not carry user info
            https://api.example.com@evil.example   | must not carry user info
            https://*.example.com                  | must not be a wildcard
            https://*                              | must not be a wildcard
            https://bücher.example                 | must be ASCII
            ` https://api.example.com`             | must not contain whitespace
            `https://api.example.com `             | must not contain whitespace
            `https://api .example.com`             | must not contain whitespace
            `https://api.example.com\t`            | must not contain whitespace
            https://                               | names a host after the scheme
            https://:443                           | names a host after the scheme
            https://api.example.com:               | has a port from 1 to 65535
            https://api.example.com:0              | has a port from 1 to 65535
            https://api.example.com:65536          | has a port from 1 to 65535
            https://api.example.com:https          | has a port from 1 to 65535
            https://api.example.com:1:2            | has a port from 1 to 65535
            https://api.example.com.               | without a trailing dot
            https://[::1]                          | not IPv6
            https://127.1                          | as four decimal numbers
            https://0x7f.0.0.1                     | as four decimal numbers
            https://256.0.0.1                      | as four decimal numbers
            https://010.0.0.1                      | as four decimal numbers
            https://api_1.example.com              | has a host of DNS labels
            https://-api.example.com               | has a host of DNS labels
            https://api..example.com               | has a host of DNS labels
            https://api%2eexample.com              | has a host of DNS labels
            https://evil.example\\.api.example.com | has a host of DNS labels
            ``                                     | is empty
            """)
    void refusesAnOriginThatIsNotStrictlyAnOrigin(String written, String message) {
        assertThatThrownBy(() -> X402Origins.normalise(written))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("an x402 origin ")
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://api.example.com/v1/weather?city=zurich#now | https://api.example.com
            https://API.example.com:443/paid                    | https://api.example.com
            https://api.example.com:8443/paid                   | https://api.example.com:8443
            https://api.example.com?query                       | https://api.example.com
            https://api.example.com#fragment                    | https://api.example.com
            https://api.example.com                             | https://api.example.com
            HTTP://LocalHost:8080/paid/report.pdf               | http://localhost:8080
            http://127.0.0.1:4021/weather                       | http://127.0.0.1:4021
            """)
    void takesTheOriginOfAResourceUrlInTheFormAPolicyListsIt(String url, String origin) {
        assertThat(X402Origins.originOf(url)).isEqualTo(origin);
        assertThat(X402Origins.normalise(origin)).isEqualTo(origin);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            https://user@api.example.com/paid       | must not carry user info
            http://api.example.com/paid             | must use https
            https://*.example.com/paid              | must not be a wildcard
            `https://api.example.com/a b`           | must not contain whitespace
            https://api.example.com/ünïcode         | must be ASCII
            https://api.example.com:99999/paid      | has a port from 1 to 65535
            /paid/report                            | starts with https://
            """)
    void refusesAResourceUrlByTheSameRules(String url, String message) {
        assertThatThrownBy(() -> X402Origins.originOf(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("an x402 resource URL ")
                .hasMessageContaining(message);
    }

    @Test
    void refusesNoUrlAtAll() {
        assertThatThrownBy(() -> X402Origins.originOf(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an x402 resource URL is empty");
    }
}
