package dev.guardian.service.identity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * People who use Guardian besides agents (approvers, auditors, treasury, admins), each with the
 * SHA-256 of an API token and the roles they hold. Read from configuration at start.
 */
@Validated
@ConfigurationProperties("guardian")
public record PeopleProperties(@Valid @DefaultValue List<Person> people) {
    public record Person(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9.@_-]{0,62}", message = "must be 1-63 lower case letters, digits or . @ _ -") String id,
            String name,
            @NotBlank @Pattern(regexp = "(0x)?[0-9a-fA-F]{64}", message = "must be 64 hex digits (SHA-256 of the API token)") String apiKeySha256,
            @NotEmpty List<Role> roles) {}
}
