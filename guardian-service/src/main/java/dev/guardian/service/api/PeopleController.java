package dev.guardian.service.api;

import dev.guardian.service.audit.Actor;
import dev.guardian.service.identity.Caller;
import dev.guardian.service.identity.Credentials;
import dev.guardian.service.identity.IssuedToken;
import dev.guardian.service.identity.People;
import dev.guardian.service.identity.PeopleChangeRefusedException;
import dev.guardian.service.identity.Person;
import dev.guardian.service.identity.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The administrators' API for people: create a person (the answer carries their first token, the only
 * time it is shown), list and read people (never a token or a hash), change roles, rotate or revoke
 * tokens, disable. A change that would leave no active administrator is refused with 409 and changes
 * nothing.
 */
@RestController
@RequiresRole(Role.ADMIN)
@RequestMapping(
        path = "/v1/people",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
class PeopleController {
    private static final String PERSON_ROLES = "admin, treasury, approver, auditor";

    private final People people;

    PeopleController(People people) {
        this.people = people;
    }

    record CreatePersonBody(
            @NotBlank @Pattern(regexp = People.ID_PATTERN, message = People.ID_RULE) String id,

            @NotBlank @Size(max = People.MAX_NAME_LENGTH) String name,
            @NotEmpty @Size(max = 8) List<@NotNull String> roles) {}

    record RolesBody(@NotEmpty @Size(max = 8) List<@NotNull String> roles) {}

    record CredentialView(UUID id, String label, String createdAt, String createdBy) {
        static CredentialView of(Credentials.CredentialInfo info) {
            return new CredentialView(
                    info.id(), info.label(), info.createdAt().toInstant().toString(), info.createdBy());
        }
    }

    record PersonView(
            String id,
            String name,
            List<String> roles,
            String status,
            String createdAt,
            String createdBy,
            String disabledAt,
            List<CredentialView> credentials) {
        static PersonView of(Person person) {
            return new PersonView(
                    person.id(),
                    person.name(),
                    person.roles().stream()
                            .sorted()
                            .map(PeopleController::roleName)
                            .toList(),
                    person.disabled() ? "DISABLED" : "ACTIVE",
                    person.createdAt().toInstant().toString(),
                    person.createdBy(),
                    person.disabledAt().map(at -> at.toInstant().toString()).orElse(null),
                    person.credentials().stream().map(CredentialView::of).toList());
        }
    }

    /** A new token: shown in this answer and never again. */
    record TokenView(UUID credentialId, String token) {
        static TokenView of(IssuedToken issued) {
            return new TokenView(issued.credentialId(), issued.token());
        }

        @Override
        public String toString() {
            return "TokenView[credentialId=" + credentialId + ", token=redacted]";
        }
    }

    record CreatedView(PersonView person, TokenView credential) {}

    record RevokedView(int revoked) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CreatedView> create(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller admin,
            @Valid @RequestBody CreatePersonBody body) {
        Set<Role> roles = roles(body.roles());
        People.Created created = people.create(body.id(), body.name().strip(), roles, actor(admin));
        return ResponseEntity.created(
                        URI.create("/v1/people/" + created.person().id()))
                .body(new CreatedView(PersonView.of(created.person()), TokenView.of(created.token())));
    }

    @GetMapping
    List<PersonView> list() {
        return people.list().stream().map(PersonView::of).toList();
    }

    @GetMapping("/{id}")
    PersonView one(@PathVariable String id) {
        return people.find(id)
                .map(PersonView::of)
                .orElseThrow(() -> new ApiExceptions.NotFound("there is no person " + id));
    }

    @PutMapping(path = "/{id}/roles", consumes = MediaType.APPLICATION_JSON_VALUE)
    PersonView changeRoles(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller admin,
            @PathVariable String id,
            @Valid @RequestBody RolesBody body) {
        return PersonView.of(people.changeRoles(id, roles(body.roles()), actor(admin)));
    }

    /** Rotates: the person's old tokens stop working on the next request, and this is the new one. */
    @PostMapping("/{id}/credentials")
    ResponseEntity<TokenView> rotate(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller admin, @PathVariable String id) {
        return ResponseEntity.status(HttpStatus.CREATED).body(TokenView.of(people.rotate(id, actor(admin))));
    }

    @DeleteMapping("/{id}/credentials")
    RevokedView revoke(@RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller admin, @PathVariable String id) {
        return new RevokedView(people.revokeAll(id, actor(admin)));
    }

    @PostMapping("/{id}/disable")
    PersonView disable(@RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller admin, @PathVariable String id) {
        return PersonView.of(people.disable(id, actor(admin)));
    }

    /**
     * A well-formed change that the state of the people does not allow: 409 {@code conflict/last-admin},
     * {@code conflict/person-exists} or {@code conflict/person-disabled}, with the same name in {@code reason}.
     */
    @ExceptionHandler(PeopleChangeRefusedException.class)
    ResponseEntity<ProblemDetail> refused(PeopleChangeRefusedException e) {
        if (e.why() == PeopleChangeRefusedException.Why.NOT_FOUND) {
            return ProblemHandler.problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", e.getMessage());
        }
        String conflict = switch (e.why()) {
            case LAST_ADMIN -> "last-admin";
            case ALREADY_EXISTS -> "person-exists";
            case DISABLED -> "person-disabled";
            case NOT_FOUND -> throw new IllegalStateException("handled above");
        };
        ResponseEntity<ProblemDetail> response = ProblemHandler.problem(
                HttpStatus.CONFLICT, ProblemTypes.CONFLICT.resolve(conflict), "Conflict", e.getMessage());
        response.getBody().setProperty("reason", conflict);
        return response;
    }

    /** Role names as sent (any case); a field error points at each one that is unknown or not for people. */
    private static Set<Role> roles(List<String> names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        List<ApiExceptions.FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip().toUpperCase(Locale.ROOT);
            Role role = EnumSet.allOf(Role.class).stream()
                    .filter(r -> r.name().equals(name))
                    .findFirst()
                    .orElse(null);
            if (role == null) {
                problems.add(new ApiExceptions.FieldProblem(
                        "/roles/" + i, "unknown role '" + names.get(i) + "'; a person's roles are " + PERSON_ROLES));
            } else if (role == Role.AGENT) {
                problems.add(new ApiExceptions.FieldProblem(
                        "/roles/" + i, "a person cannot hold the agent role; a person's roles are " + PERSON_ROLES));
            } else {
                roles.add(role);
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiExceptions.InvalidField(problems);
        }
        return roles;
    }

    private static String roleName(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    private static Actor actor(Caller caller) {
        return Actor.person(caller.id());
    }
}
