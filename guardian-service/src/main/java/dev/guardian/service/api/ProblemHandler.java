package dev.guardian.service.api;

import dev.guardian.service.agents.UnknownAgentException;
import dev.guardian.service.approvals.ApprovalRefusedException;
import dev.guardian.service.chain.ChainException;
import dev.guardian.service.database.DatabaseFailures;
import dev.guardian.service.notifications.ResendRefusedException;
import dev.guardian.service.policies.InvalidPolicyException;
import dev.guardian.service.policies.PolicyChangeRefusedException;
import dev.guardian.service.requests.AgentHasNoWalletException;
import dev.guardian.service.requests.IdempotencyKeyReusedException;
import dev.guardian.service.requests.SafeProposalConflictException;
import dev.guardian.service.requests.TreasuryActionRefusedException;
import dev.guardian.service.requests.WalletChoiceException;
import jakarta.validation.ConstraintViolationException;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one table from exception to problem document. Refusals by policy never come through here: they
 * are decisions, rendered by the controller. What does come here is malformed input, failed
 * authentication, unavailable infrastructure, and bugs (500, with no internals in the body).
 */
@RestControllerAdvice
class ProblemHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiExceptions.Unauthenticated.class)
    ResponseEntity<ProblemDetail> unauthenticated(ApiExceptions.Unauthenticated e) {
        ResponseEntity<ProblemDetail> response =
                problem(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHENTICATED, "Unauthenticated", e.getMessage());
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"guardian\"")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(response.getBody());
    }

    @ExceptionHandler(ApiExceptions.Forbidden.class)
    ResponseEntity<ProblemDetail> forbidden(ApiExceptions.Forbidden e) {
        return problem(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden", e.getMessage());
    }

    @ExceptionHandler(ApiExceptions.NotFound.class)
    ResponseEntity<ProblemDetail> notFound(ApiExceptions.NotFound e) {
        return problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return problem(
                HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", "no such endpoint: /" + e.getResourcePath());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalidBody(MethodArgumentNotValidException e) {
        List<ApiExceptions.FieldProblem> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new ApiExceptions.FieldProblem("/" + f.getField().replace('.', '/'), f.getDefaultMessage()))
                .sorted(Comparator.comparing(ApiExceptions.FieldProblem::pointer))
                .toList();
        return validationFailed(errors);
    }

    @ExceptionHandler(ApiExceptions.Conflict.class)
    ResponseEntity<ProblemDetail> conflict(ApiExceptions.Conflict e) {
        return problem(HttpStatus.CONFLICT, ProblemTypes.CONFLICT.resolve(e.problem()), "Conflict", e.getMessage());
    }

    /**
     * A Safe transaction for a nonce another request of the Safe still holds, or the same Safe transaction again:
     * nothing recorded, signed or sent; {@code existingRequestId} is the request that holds it.
     */
    @ExceptionHandler(SafeProposalConflictException.class)
    ResponseEntity<ProblemDetail> safeProposalConflict(SafeProposalConflictException e) {
        ResponseEntity<ProblemDetail> response =
                problem(HttpStatus.CONFLICT, ProblemTypes.CONFLICT.resolve(e.problem()), "Conflict", e.getMessage());
        response.getBody().setProperty("existingRequestId", e.existing().toString());
        response.getBody().setProperty("safeNonce", e.nonce().toString());
        return response;
    }

    @ExceptionHandler(UnknownAgentException.class)
    ResponseEntity<ProblemDetail> unknownAgent(UnknownAgentException e) {
        return problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(WalletChoiceException.class)
    ResponseEntity<ProblemDetail> walletChoice(WalletChoiceException e) {
        return validationFailed(List.of(new ApiExceptions.FieldProblem("/walletId", e.getMessage())));
    }

    @ExceptionHandler(AgentHasNoWalletException.class)
    ResponseEntity<ProblemDetail> noWallet(AgentHasNoWalletException e) {
        return problem(
                HttpStatus.CONFLICT, ProblemTypes.CONFLICT.resolve("agent-has-no-wallet"), "Conflict", e.getMessage());
    }

    /** A treasury action the wallet's or the deployment's state makes pointless or unsafe: nothing was recorded. */
    @ExceptionHandler(TreasuryActionRefusedException.class)
    ResponseEntity<ProblemDetail> treasuryActionRefused(TreasuryActionRefusedException e) {
        ResponseEntity<ProblemDetail> response =
                problem(HttpStatus.CONFLICT, ProblemTypes.CONFLICT.resolve(e.problem()), "Conflict", e.getMessage());
        if (!e.requests().isEmpty()) {
            response.getBody()
                    .setProperty(
                            "requests",
                            e.requests().stream().map(Object::toString).toList());
        }
        return response;
    }

    /** A webhook re-send that would duplicate a delivery or has nowhere to go: nothing changed, nothing is sent. */
    @ExceptionHandler(ResendRefusedException.class)
    ResponseEntity<ProblemDetail> resendRefused(ResendRefusedException e) {
        ResponseEntity<ProblemDetail> response = switch (e.why()) {
            case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", e.getMessage());
            case NOT_DEAD ->
                problem(
                        HttpStatus.CONFLICT,
                        ProblemTypes.CONFLICT.resolve("webhook-delivery-not-dead"),
                        "Conflict",
                        e.getMessage());
            case ENDPOINT_NOT_CONFIGURED ->
                problem(
                        HttpStatus.CONFLICT,
                        ProblemTypes.CONFLICT.resolve("webhook-endpoint-not-configured"),
                        "Conflict",
                        e.getMessage());
        };
        e.status().ifPresent(status -> response.getBody().setProperty("deliveryStatus", status.name()));
        return response;
    }

    @ExceptionHandler(ApiExceptions.InvalidField.class)
    ResponseEntity<ProblemDetail> invalidField(ApiExceptions.InvalidField e) {
        return validationFailed(e.errors());
    }

    /** A policy document that cannot become a version: every problem with its pointer; nothing was stored. */
    @ExceptionHandler(InvalidPolicyException.class)
    ResponseEntity<ProblemDetail> invalidPolicy(InvalidPolicyException e) {
        ProblemDetail body = validationFailed(e.problems().stream()
                        .map(p -> new ApiExceptions.FieldProblem(p.pointer(), p.message()))
                        .toList())
                .getBody();
        body.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }

    @ExceptionHandler(PolicyChangeRefusedException.class)
    ResponseEntity<ProblemDetail> policyRefused(PolicyChangeRefusedException e) {
        return switch (e.why()) {
            case UNKNOWN_AGENT, UNKNOWN_VERSION ->
                problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", e.getMessage());
            case ALREADY_ACTIVE ->
                problem(
                        HttpStatus.CONFLICT,
                        ProblemTypes.CONFLICT.resolve("policy-already-active"),
                        "Conflict",
                        e.getMessage());
        };
    }

    @ExceptionHandler({
        HandlerMethodValidationException.class,
        ConstraintViolationException.class,
        MethodArgumentTypeMismatchException.class,
        MissingRequestHeaderException.class
    })
    ResponseEntity<ProblemDetail> invalidParameter(Exception e) {
        return problem(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.VALIDATION_FAILED,
                "Validation failed",
                "a request parameter or header is invalid: " + e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodySizeLimitFilter.TooLarge) {
                // A chunked body is counted as it is read: it ran over while the JSON reader consumed it.
                return problem(
                        HttpStatus.CONTENT_TOO_LARGE,
                        ProblemTypes.PAYLOAD_TOO_LARGE,
                        "Payload too large",
                        "the request body exceeds the limit; nothing was recorded");
            }
        }
        String detail = "the body is not valid JSON of the expected shape";
        if (e.getCause() instanceof StreamReadException read
                && read.getOriginalMessage().startsWith("Duplicate Object property")) {
            detail = read.getOriginalMessage() + ": each key may appear once (the last one would win elsewhere)";
        } else if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            detail = "unknown field '" + unknown.getPropertyName() + "'";
        } else if (e.getCause() instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            String pointer = mismatch.getPath().stream()
                    .map(reference -> reference.getPropertyName() != null
                            ? reference.getPropertyName()
                            : String.valueOf(reference.getIndex()))
                    .reduce("", (path, step) -> path + "/" + step);
            detail = "the field " + pointer + " has the wrong type; amounts and addresses are JSON strings";
        }
        return problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST, "Malformed request", detail);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return problem(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                "send the body as application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return problem(
                HttpStatus.METHOD_NOT_ALLOWED, ProblemTypes.METHOD_NOT_ALLOWED, "Method not allowed", e.getMessage());
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    ResponseEntity<ProblemDetail> idempotencyReused(IdempotencyKeyReusedException e) {
        ResponseEntity<ProblemDetail> response = problem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                ProblemTypes.IDEMPOTENCY_KEY_REUSED,
                "Idempotency key reused",
                e.getMessage());
        response.getBody().setProperty("originalRequestId", e.originalRequest().toString());
        return response;
    }

    /** Any chain failure on the way to a decision: unreachable, or answering in a way Guardian cannot use. */
    @ExceptionHandler(ApprovalRefusedException.class)
    ResponseEntity<ProblemDetail> approvalRefused(ApprovalRefusedException e) {
        ResponseEntity<ProblemDetail> response = switch (e.why()) {
            case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", e.getMessage());
            case OWN_REQUEST -> problem(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden", e.getMessage());
            case NOT_PENDING, ALREADY_DECIDED ->
                problem(
                        HttpStatus.CONFLICT,
                        ProblemTypes.APPROVAL_NOT_POSSIBLE,
                        "Approval not possible",
                        e.getMessage());
        };
        e.status().ifPresent(status -> response.getBody().setProperty("requestStatus", status.name()));
        response.getBody()
                .setProperty("reason", e.why().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return response;
    }

    @ExceptionHandler(ApiExceptions.TooManyRequests.class)
    ResponseEntity<ProblemDetail> tooManyRequests(ApiExceptions.TooManyRequests e) {
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        body.setType(ProblemTypes.TOO_MANY_REQUESTS);
        body.setTitle("Too many requests");
        body.setProperty("retryAfterSeconds", seconds);
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }

    @ExceptionHandler(ChainException.class)
    ResponseEntity<ProblemDetail> chainUnavailable(ChainException e) {
        log.warn("refused a request because the chain is unavailable: {}", e.getMessage());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE,
                "the chain could not be used to simulate or read (" + e.getMessage() + "); nothing was signed or"
                        + " recorded. Retry later with the same Idempotency-Key.");
        body.setType(ProblemTypes.CHAIN_UNAVAILABLE);
        body.setTitle("Chain unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }

    /**
     * Spring's two families of database failures. One that means the database cannot be reached or does not
     * answer in time is a 503 ({@link #databaseUnavailable}); any other (a constraint, a deadlock, a bug) is
     * unexpected.
     */
    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    ResponseEntity<ProblemDetail> database(Exception e) {
        return DatabaseFailures.unavailable(e) ? databaseUnavailable(e) : unexpected(e);
    }

    /**
     * The database could not be reached or did not answer in time, wherever on the request's way: in
     * authentication (tokens are looked up in it), before the decision (whose transaction then rolled back:
     * nothing is recorded, nothing reserved), or after it (the request is recorded, and the background
     * workers carry it on once the database is back). In every case the agent's retry with the same
     * Idempotency-Key is safe: it decides anew, or answers what was recorded. The detail is fixed text: the
     * driver's messages name the host, the port and the user.
     */
    private static ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
        log.warn("refused a request because the database is unavailable: {}", DatabaseFailures.explain(e));
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Guardian's database could not be reached or did not answer in time, so the request could not be"
                        + " completed. Retry later with the same Idempotency-Key, never a new one: a request"
                        + " recorded before the database went away is answered as recorded, and it never pays twice.");
        body.setType(ProblemTypes.DATABASE_UNAVAILABLE);
        body.setTitle("Database unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (DatabaseFailures.unavailable(e)) {
            // Also when it arrives wrapped in something else (an IllegalStateException around an SQLException).
            return databaseUnavailable(e);
        }
        log.error("unexpected error", e);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                ProblemTypes.INTERNAL_ERROR,
                "Internal error",
                "Guardian could not complete the request; the error is logged. If a request id was returned before,"
                        + " read its status; otherwise retry with the same Idempotency-Key, which never pays twice.");
    }

    static ResponseEntity<ProblemDetail> validationFailed(List<ApiExceptions.FieldProblem> errors) {
        String detail = errors.stream()
                .map(f -> f.pointer() + ": " + f.message())
                .reduce((a, b) -> a + "; " + b)
                .orElse("invalid request");
        ResponseEntity<ProblemDetail> response =
                problem(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION_FAILED, "Validation failed", detail);
        response.getBody().setProperty("errors", errors);
        return response;
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(type);
        body.setTitle(title);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }
}
