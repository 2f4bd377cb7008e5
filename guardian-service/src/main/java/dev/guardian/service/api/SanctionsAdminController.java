package dev.guardian.service.api;

import dev.guardian.service.audit.Actor;
import dev.guardian.service.identity.Caller;
import dev.guardian.service.identity.Role;
import dev.guardian.service.sanctions.ReloadOutcome;
import dev.guardian.service.sanctions.SanctionsScreening;
import dev.guardian.service.sanctions.SanctionsStatus;
import dev.guardian.service.sanctions.Trigger;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' view of screening: {@code GET /v1/admin/sanctions} shows each source's version, age and last
 * problem (admins and auditors); {@code POST /v1/admin/sanctions/reload} reloads now (admins), one source
 * ({@code ?source=}) or all, and with {@code acceptShrink=true} accepts a shrink the guard rejected. The
 * answer is 200 whatever each reload did: its outcomes say, and a kept version is not an HTTP error.
 */
@RestController
@RequestMapping(
        path = "/v1/admin/sanctions",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
class SanctionsAdminController {
    /** Set by the API's authentication interceptor on every /v1 request. */
    private final SanctionsScreening screening;

    SanctionsAdminController(SanctionsScreening screening) {
        this.screening = screening;
    }

    @GetMapping
    @RequiresRole({Role.ADMIN, Role.AUDITOR})
    SanctionsStatus status() {
        return screening.status();
    }

    /** The outcome of each source's reload, then the status after them. */
    record ReloadReport(List<ReloadView> outcomes, SanctionsStatus status) {}

    record ReloadView(String source, String result, SanctionsStatus.Version version, String message) {
        static ReloadView of(ReloadOutcome outcome) {
            return new ReloadView(
                    outcome.source(),
                    outcome.result().name(),
                    outcome.current().map(SanctionsStatus.Version::of).orElse(null),
                    outcome.message());
        }
    }

    @PostMapping("/reload")
    @RequiresRole(Role.ADMIN)
    ResponseEntity<?> reload(
            @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
            @RequestParam(name = "source", required = false) String source,
            @RequestParam(name = "acceptShrink", defaultValue = "false") boolean acceptShrink) {
        List<ReloadOutcome> outcomes;
        try {
            outcomes = screening.reload(
                    Optional.ofNullable(source).filter(s -> !s.isBlank()),
                    Trigger.ADMIN,
                    Actor.person(caller.id()),
                    acceptShrink);
        } catch (IllegalArgumentException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
            problem.setType(ProblemTypes.NOT_FOUND);
            problem.setTitle("Not found");
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem);
        }
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ReloadReport(outcomes.stream().map(ReloadView::of).toList(), screening.status()));
    }
}
