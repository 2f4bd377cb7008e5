package dev.guardian.service.api;

import dev.guardian.policy.AgentId;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.identity.Caller;
import dev.guardian.service.identity.Role;
import dev.guardian.service.policies.PolicyChange;
import dev.guardian.service.policies.PolicyDocument;
import dev.guardian.service.policies.PolicyDocuments;
import dev.guardian.service.policies.PolicyVersion;
import dev.guardian.service.policies.PolicyVersions;
import dev.guardian.service.requests.PolicyDryRun;
import dev.guardian.service.requests.ReasonView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An agent's policy versions (docs/policies.md). A document is posted as JSON or YAML and becomes a new
 * version, never active until someone activates it; an invalid one is refused with 422 and every problem's
 * JSON pointer, and nothing is stored. Activating an older version is the rollback. A dry run shows which
 * decisions a version would change, without reserving, signing or recording anything.
 */
@RestController
@RequiresRole({Role.TREASURY, Role.ADMIN, Role.AUDITOR})
@RequestMapping(
        path = "/v1/agents/{agentId}/policies",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
class PolicyController {
    static final String YAML = "application/yaml";
    private static final int MAX_COMMENT = 1000;

    private final PolicyVersions versions;
    private final PolicyDocuments documents;
    private final PolicyDryRun dryRun;
    private final AssetRegistry assets;

    PolicyController(PolicyVersions versions, PolicyDocuments documents, PolicyDryRun dryRun, AssetRegistry assets) {
        this.versions = versions;
        this.documents = documents;
        this.dryRun = dryRun;
        this.assets = assets;
    }

    /** A version as people read it; {@code diff} is against the version named by {@code comparedWith}, if any. */
    record VersionView(
            String agentId,
            int version,
            String createdAt,
            String createdBy,
            String comment,
            boolean active,
            PolicyDocument document,
            Integer comparedWith,
            List<PolicyChange> diff) {

        static VersionView of(PolicyVersion version, OptionalInt comparedWith, List<PolicyChange> diff) {
            return new VersionView(
                    version.agent().value(),
                    version.version(),
                    version.createdAt().toString(),
                    version.createdBy(),
                    version.comment(),
                    version.active(),
                    version.document(),
                    comparedWith.isPresent() ? comparedWith.getAsInt() : null,
                    diff);
        }
    }

    record VersionSummary(int version, String createdAt, String createdBy, String comment, boolean active) {}

    record VersionList(String agentId, Integer activeVersion, List<VersionSummary> versions) {}

    record Validation(boolean valid, Integer comparedWith, List<PolicyChange> diff) {}

    record DiffView(String agentId, int version, Integer against, List<PolicyChange> diff) {}

    record ActivateBody(@Size(max = MAX_COMMENT) String comment) {}

    /** Exactly one of: a payment, a contract call (both as agents send them), or how many recorded requests to replay. */
    record DryRunBody(
            @Valid PaymentBody payment,
            @Valid ContractCallBody contractCall,
            @Min(1) @Max(PolicyDryRun.MOST_RECENT) Integer recent) {}

    record OutcomeView(int version, String verdict, List<ReasonView> reasons) {
        static OutcomeView of(PolicyDryRun.Outcome outcome) {
            return new OutcomeView(outcome.version(), outcome.verdict(), outcome.reasons());
        }
    }

    record ComparisonView(
            String requestId,
            Map<String, ?> asked,
            PolicyDryRun.Recorded recorded,
            OutcomeView active,
            OutcomeView draft,
            boolean changed) {}

    record DryRunView(
            String agentId,
            Integer activeVersion,
            int draftVersion,
            List<ComparisonView> requests,
            PolicyDryRun.Summary summary) {}

    @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, YAML, "application/x-yaml", "text/yaml"})
    @RequiresRole({Role.TREASURY, Role.ADMIN})
    ResponseEntity<VersionView> create(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @PathVariable String agentId,
            @RequestParam(required = false) String comment,
            @RequestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
            @RequestBody byte[] body) {
        AgentId agent = knownAgent(agentId);
        PolicyDocument document = documents.parse(body, isYaml(contentType));
        PolicyVersion created = versions.create(agent, document, comment(comment), Actor.person(caller.id()));
        OptionalInt active = versions.activeVersion(agent);
        return ResponseEntity.created(URI.create("/v1/agents/" + agent + "/policies/" + created.version()))
                .body(VersionView.of(created, active, diffAgainst(agent, active, created.document())));
    }

    /** Validates a document and shows what it would change against the active version; stores nothing. */
    @PostMapping(
            path = "/validate",
            consumes = {MediaType.APPLICATION_JSON_VALUE, YAML, "application/x-yaml", "text/yaml"})
    @RequiresRole({Role.TREASURY, Role.ADMIN})
    Validation validate(
            @PathVariable String agentId,
            @RequestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
            @RequestBody byte[] body) {
        AgentId agent = knownAgent(agentId);
        PolicyDocument document = documents.parse(body, isYaml(contentType));
        OptionalInt active = versions.activeVersion(agent);
        return new Validation(
                true, active.isPresent() ? active.getAsInt() : null, diffAgainst(agent, active, document));
    }

    @GetMapping
    VersionList list(@PathVariable String agentId) {
        AgentId agent = knownAgent(agentId);
        List<VersionSummary> all = versions.versions(agent).stream()
                .map(v -> new VersionSummary(
                        v.version(), v.createdAt().toString(), v.createdBy(), v.comment(), v.active()))
                .toList();
        OptionalInt active = versions.activeVersion(agent);
        return new VersionList(agent.value(), active.isPresent() ? active.getAsInt() : null, all);
    }

    /**
     * One version with its document and the changes from the version before it. Asked for YAML
     * ({@code Accept: application/yaml}), the answer is the document alone, ready to edit and post again,
     * with what the JSON form says besides the document in comments at the top.
     */
    @GetMapping(
            path = "/{version}",
            produces = {
                MediaType.APPLICATION_JSON_VALUE,
                MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                YAML,
                "application/x-yaml",
                "text/yaml"
            })
    ResponseEntity<?> one(
            @PathVariable String agentId,
            @PathVariable String version,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        AgentId agent = knownAgent(agentId);
        PolicyVersion found = version(agent, version);
        if (wantsYaml(accept)) {
            String header = "# policy of agent " + agent + ", version " + found.version()
                    + (found.active() ? " (active)" : "")
                    + "\n# created " + found.createdAt() + " by " + found.createdBy()
                    + (found.comment().isBlank()
                            ? ""
                            : "\n# comment: " + found.comment().replaceAll("[\\r\\n]+", " ")) + "\n";
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType(YAML))
                    .body(header + documents.toYaml(found.document()));
        }
        OptionalInt previous = found.version() > 1 ? OptionalInt.of(found.version() - 1) : OptionalInt.empty();
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .body(VersionView.of(found, previous, diffAgainst(agent, previous, found.document())));
    }

    /** The changes from version {@code against} (default: the one before) to this one. */
    @GetMapping("/{version}/diff")
    DiffView diff(
            @PathVariable String agentId,
            @PathVariable String version,
            @RequestParam(required = false) String against) {
        AgentId agent = knownAgent(agentId);
        PolicyVersion found = version(agent, version);
        OptionalInt base;
        if (against != null) {
            base = OptionalInt.of(version(agent, against).version());
        } else {
            base = found.version() > 1 ? OptionalInt.of(found.version() - 1) : OptionalInt.empty();
        }
        return new DiffView(
                agent.value(),
                found.version(),
                base.isPresent() ? base.getAsInt() : null,
                diffAgainst(agent, base, found.document()));
    }

    /** Makes the version the one that judges the agent's next request; rolling back is activating an older one. */
    @PostMapping(path = "/{version}/activate", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresRole({Role.TREASURY, Role.ADMIN})
    VersionView activate(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @PathVariable String agentId,
            @PathVariable String version,
            @Valid @RequestBody(required = false) ActivateBody body) {
        AgentId agent = knownAgent(agentId);
        int number = versionNumber(version);
        OptionalInt previous = versions.activeVersion(agent);
        PolicyVersion activated = versions.activate(
                agent, number, comment(body == null ? null : body.comment()), Actor.person(caller.id()));
        return VersionView.of(activated, previous, diffAgainst(agent, previous, activated.document()));
    }

    /**
     * Evaluates a payment, a contract call, or the agent's most recent recorded requests against this
     * version and against the active one. Reserves, stores, signs and records nothing.
     */
    @PostMapping(path = "/{version}/dry-run", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresRole({Role.TREASURY, Role.ADMIN})
    DryRunView dryRun(@PathVariable String agentId, @PathVariable String version, @Valid @RequestBody DryRunBody body) {
        AgentId agent = knownAgent(agentId);
        int number = versionNumber(version);
        int given = (body.payment() != null ? 1 : 0)
                + (body.contractCall() != null ? 1 : 0)
                + (body.recent() != null ? 1 : 0);
        if (given != 1) {
            throw new ApiExceptions.InvalidField("", "give exactly one of payment, contractCall or recent");
        }
        PolicyDryRun.Report report;
        if (body.recent() != null) {
            report = dryRun.recent(agent, number, body.recent());
        } else {
            report = dryRun.propose(
                    agent,
                    number,
                    body.payment() != null
                            ? body.payment().toRequest(assets, "/payment")
                            : body.contractCall().toRequest(assets, "/contractCall"));
        }
        List<ComparisonView> requests = report.requests().stream()
                .map(c -> new ComparisonView(
                        c.requestId().map(Object::toString).orElse(null),
                        c.asked(),
                        c.recorded().orElse(null),
                        c.active().map(OutcomeView::of).orElse(null),
                        OutcomeView.of(c.draft()),
                        c.changed()))
                .toList();
        return new DryRunView(
                agent.value(),
                report.activeVersion().isPresent() ? report.activeVersion().getAsInt() : null,
                report.draftVersion(),
                requests,
                report.summary());
    }

    private List<PolicyChange> diffAgainst(AgentId agent, OptionalInt base, PolicyDocument document) {
        Optional<PolicyDocument> before = base.isPresent()
                ? versions.version(agent, base.getAsInt()).map(PolicyVersion::document)
                : Optional.empty();
        return documents.diff(before, document);
    }

    private AgentId knownAgent(String id) {
        AgentId agent;
        try {
            agent = new AgentId(id);
        } catch (IllegalArgumentException e) {
            throw new ApiExceptions.NotFound("no agent " + id);
        }
        if (!versions.knows(agent)) {
            throw new ApiExceptions.NotFound("no agent " + id);
        }
        return agent;
    }

    private PolicyVersion version(AgentId agent, String version) {
        int number = versionNumber(version);
        return versions.version(agent, number)
                .orElseThrow(() -> new ApiExceptions.NotFound("agent " + agent + " has no policy version " + version));
    }

    private static int versionNumber(String version) {
        if (version == null || !version.matches("[1-9][0-9]{0,8}")) {
            throw new ApiExceptions.NotFound("no policy version " + version);
        }
        return Integer.parseInt(version);
    }

    private static String comment(String comment) {
        if (comment == null) {
            return "";
        }
        if (comment.length() > MAX_COMMENT) {
            throw new ApiExceptions.InvalidField("/query/comment", "must be at most " + MAX_COMMENT + " characters");
        }
        return comment.strip();
    }

    /** YAML only when asked for by name and JSON is not: a client that accepts anything gets JSON. */
    private static boolean wantsYaml(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> accepted = MediaType.parseMediaTypes(accept);
        return accepted.stream()
                        .anyMatch(m -> m.getSubtype().toLowerCase(Locale.ROOT).endsWith("yaml"))
                && accepted.stream().noneMatch(m -> m.getSubtype().equalsIgnoreCase("json"));
    }

    private static boolean isYaml(String contentType) {
        return MediaType.parseMediaType(contentType)
                .getSubtype()
                .toLowerCase(Locale.ROOT)
                .endsWith("yaml");
    }
}
