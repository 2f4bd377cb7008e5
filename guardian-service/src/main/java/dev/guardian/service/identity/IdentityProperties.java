package dev.guardian.service.identity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the first start leaves the initial administrator's token, and, for organisations with single
 * sign-on, which OIDC issuer's JWTs Guardian accepts as bearer tokens (docs/identity.md).
 *
 * @param initialAdminTokenFile the file the first start writes the initial administrator's token to
 *                              (owner-only permissions); Guardian deletes it when the token is first used
 */
@Validated
@ConfigurationProperties("guardian.identity")
record IdentityProperties(
        @NotNull @DefaultValue("guardian-initial-admin-token")
        Path initialAdminTokenFile,

        @Valid @DefaultValue Oidc oidc) {

    /**
     * JWTs from one OIDC issuer. Off while {@code issuer} is not set; when it is, {@code jwks-uri} and
     * {@code audience} must be set too.
     *
     * @param issuer       the exact {@code iss} the tokens carry
     * @param jwksUri      where the issuer publishes its signing keys (JWKS), fetched over HTTP(S) and cached
     * @param audience     a value the token's {@code aud} must contain: Guardian's client id at the issuer
     * @param rolesClaim   the claim with the roles; a dotted path reaches into objects ({@code realm_access.roles})
     * @param subjectClaim the claim that names the person; it becomes their id in the audit log
     * @param rolePrefix   stripped from each role value before it is matched, e.g. {@code guardian-}
     */
    public record Oidc(
            @Size(max = 2000) String issuer,
            URI jwksUri,
            @Size(max = 2000) String audience,

            @NotBlank @DefaultValue("roles")
            @Pattern(
                    regexp = "[^.\\s]+(\\.[^.\\s]+)*",
                    message = "must be a claim name or a dotted path of claim names")
            String rolesClaim,

            @NotBlank @DefaultValue("sub") String subjectClaim,
            @NotNull @DefaultValue("") @Size(max = 100) String rolePrefix) {

        public boolean enabled() {
            return issuer != null && !issuer.isBlank();
        }

        /** Fails start-up with a message naming the property when the issuer is set without the rest. */
        void requireComplete() {
            if (!enabled()) {
                return;
            }
            if (jwksUri == null) {
                throw new IllegalStateException(
                        "guardian.identity.oidc.jwks-uri is not set: with an issuer, Guardian needs its signing keys");
            }
            if (!"https".equals(jwksUri.getScheme()) && !"http".equals(jwksUri.getScheme())) {
                throw new IllegalStateException(
                        "guardian.identity.oidc.jwks-uri must be an http(s) URL; got " + jwksUri);
            }
            if (audience == null || audience.isBlank()) {
                throw new IllegalStateException(
                        "guardian.identity.oidc.audience is not set: without it, a token issued for any"
                                + " other application of the same issuer would be accepted");
            }
        }
    }
}
