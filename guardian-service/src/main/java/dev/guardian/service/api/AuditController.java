package dev.guardian.service.api;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.service.audit.AuditExport;
import dev.guardian.service.audit.AuditKeys;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.audit.AuditQueries;
import dev.guardian.service.identity.Role;
import dev.guardian.verifier.AuditPublicKey;
import dev.guardian.verifier.AuditRecord;
import dev.guardian.verifier.VerificationReport;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.util.RawValue;

/**
 * The auditors' API, read-only: search the audit log and page through it, read one request's whole
 * story, export the log (JSON Lines or CSV, streamed), fetch the audit public keys, and run the same
 * verification as the offline verifier over the live log. Records are returned exactly in their
 * canonical form, so each one can be hashed as it arrives.
 */
@RestController
@RequiresRole(Role.AUDITOR)
@RequestMapping(
        path = "/v1/audit",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
class AuditController {
    private final AuditQueries queries;
    private final AuditExport export;
    private final AuditLog log;
    private final AuditKeys keys;

    AuditController(AuditQueries queries, AuditExport export, AuditLog log, AuditKeys keys) {
        this.queries = queries;
        this.export = export;
        this.log = log;
        this.keys = keys;
    }

    /** A page of records, each the raw canonical JSON line; {@code nextAfter} is the cursor of the next page. */
    record RecordPage(List<RawValue> records, Long nextAfter) {}

    record Story(String requestId, List<RawValue> records) {}

    record PublishedKey(
            String keyId, String algorithm, String publicKeyPem, String createdAt, String retiredAt, boolean active) {}

    record PublicKeys(List<PublishedKey> keys) {}

    record Verification(
            boolean ok,
            String summary,
            long records,
            long firstSeq,
            long lastSeq,
            String headHash,
            int checkpoints,
            long lastCheckpointSeq,
            long unsignedTail,
            Problem problem) {
        record Problem(long seq, String what) {}
    }

    @GetMapping("/records")
    RecordPage records(
            @RequestParam(required = false) String agent,
            @RequestParam(required = false) String wallet,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String verdict,
            @RequestParam(required = false) String rule,
            @RequestParam(required = false) String txHash,
            @RequestParam(required = false) String event,
            @RequestParam(required = false) String requestId,
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > AuditQueries.MAX_PAGE) {
            throw new ApiExceptions.InvalidField("/query/limit", "must be from 1 to " + AuditQueries.MAX_PAGE);
        }
        if (after < 0) {
            throw new ApiExceptions.InvalidField("/query/after", "must be 0 or more");
        }
        AuditQueries.Filter filter = new AuditQueries.Filter(
                parse("agent", agent, AgentId::new),
                parse("wallet", wallet, Address::parseLenient),
                parse("from", from, Instant::parse),
                parse("to", to, Instant::parse),
                parse("verdict", verdict, Verdict::valueOf),
                parse(
                        "rule",
                        rule,
                        text -> requireForm(
                                text, "[a-z0-9][a-z0-9.-]{0,100}", "a rule id such as limit.per-transaction")),
                parse("txHash", txHash, TxHash::parse),
                parse(
                        "event",
                        event,
                        text -> requireForm(text, "[a-z][a-z0-9._-]{0,62}", "an event name such as decision")),
                parse("requestId", requestId, UUID::fromString));
        AuditQueries.Page page = queries.search(filter, after, limit);
        return new RecordPage(raw(page.records()), page.nextAfter().orElse(null));
    }

    @GetMapping("/requests/{id}")
    Story story(@PathVariable String id) {
        UUID uuid = RequestIds.parse(id, "the audit log has no records of request " + abbreviate(id));
        List<AuditRecord> records = queries.story(uuid);
        if (records.isEmpty()) {
            throw new ApiExceptions.NotFound("the audit log has no records of request " + id);
        }
        return new Story(uuid.toString(), raw(records));
    }

    /**
     * Streams the export to the response as it is read from the database. Written synchronously on the
     * request's (virtual) thread rather than as an async body, so a long export is not cut off by an
     * async timeout.
     */
    @GetMapping(path = "/export", produces = MediaType.ALL_VALUE)
    void export(
            @RequestParam(defaultValue = "jsonl") String format,
            @RequestParam(required = false) Long fromSeq,
            @RequestParam(required = false) Long toSeq,
            HttpServletResponse response)
            throws IOException {
        AuditExport.Format chosen = switch (format) {
            case "jsonl" -> AuditExport.Format.JSONL;
            case "csv" -> AuditExport.Format.CSV;
            default -> throw new ApiExceptions.InvalidField("/query/format", "must be jsonl or csv");
        };
        AuditExport.Range range;
        try {
            range = export.range(Optional.ofNullable(fromSeq), Optional.ofNullable(toSeq));
        } catch (IllegalArgumentException e) {
            throw new ApiExceptions.InvalidField(
                    e.getMessage().startsWith("toSeq") ? "/query/toSeq" : "/query/fromSeq", e.getMessage());
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(chosen.mediaType() + ";charset=UTF-8");
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename=\"guardian-audit-" + range.fromSeq() + "-" + range.toSeq() + "."
                        + chosen.extension() + "\"");
        export.write(range, chosen, response.getOutputStream());
        response.flushBuffer();
    }

    @GetMapping("/public-keys")
    PublicKeys publicKeys() {
        String active = keys.activeKeyId();
        return new PublicKeys(keys.published().stream()
                .map(k -> new PublishedKey(
                        k.keyId(),
                        AuditPublicKey.ALGORITHM,
                        k.publicKey().toPem(),
                        k.createdAt().toString(),
                        k.retiredAt().map(Instant::toString).orElse(null),
                        k.keyId().equals(active)))
                .toList());
    }

    @GetMapping("/verification")
    Verification verification() {
        VerificationReport report = log.verify();
        return new Verification(
                report.ok(),
                report.summary(),
                report.records(),
                report.firstSeq(),
                report.lastSeq(),
                report.headHash(),
                report.checkpoints(),
                report.lastCheckpointSeq(),
                report.ok() ? report.unsignedTail() : 0,
                report.problem()
                        .map(p -> new Verification.Problem(p.seq(), p.what()))
                        .orElse(null));
    }

    private static List<RawValue> raw(List<AuditRecord> records) {
        return records.stream().map(r -> new RawValue(r.toLine())).toList();
    }

    private static <T> Optional<T> parse(String name, String text, Function<String, T> parser) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(text));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ApiExceptions.InvalidField(
                    "/query/" + name, "'" + abbreviate(text) + "' is not valid here: " + e.getMessage());
        }
    }

    private static String requireForm(String text, String regex, String what) {
        if (!text.matches(regex)) {
            throw new IllegalArgumentException("expected " + what);
        }
        return text;
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
