package dev.guardian.service.identity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * People named in configuration (approvers, auditors, treasury, admins), each with the SHA-256 of an
 * API token and the roles they hold. At every start they are written into the database, where people
 * created through the API live too; configuration decides their name and roles (docs/identity.md).
 */
@Validated
@ConfigurationProperties("guardian")
public record PeopleProperties(@Valid @DefaultValue List<Person> people) {
    public record Person(
            @NotBlank @Pattern(regexp = People.ID_PATTERN, message = People.ID_RULE) String id,

            @Size(max = People.MAX_NAME_LENGTH) String name,

            @NotBlank @Pattern(regexp = "(0x)?[0-9a-fA-F]{64}", message = "must be 64 hex digits (SHA-256 of the API token)")
            String apiKeySha256,

            @NotEmpty List<Role> roles) {}
}
