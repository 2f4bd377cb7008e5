package dev.guardian.service.api;

import dev.guardian.service.identity.Caller;
import dev.guardian.service.identity.Callers;
import dev.guardian.service.identity.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Authenticates every {@code /v1} call by its bearer token (one Guardian issued, or a JWT from the
 * configured OIDC issuer) and checks the roles the endpoint declares with {@link RequiresRole}. An
 * unknown, revoked, expired or badly signed token gets the same 401, so the API does not reveal who
 * exists or why; a known caller without the role (a JWT granting none, for one) gets 403.
 */
class AgentAuthentication implements HandlerInterceptor {
    static final String AGENT_ATTRIBUTE = "guardian.agent";
    static final String CALLER_ATTRIBUTE = Caller.REQUEST_ATTRIBUTE;
    private static final String BEARER = "Bearer ";

    private final Callers callers;

    AgentAuthentication(Callers callers) {
        this.callers = callers;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiExceptions.Unauthenticated();
        }
        Caller caller = callers.authenticate(header.substring(BEARER.length()).strip())
                .orElseThrow(ApiExceptions.Unauthenticated::new);
        if (handler instanceof HandlerMethod method) {
            Set<Role> admitted = admittedRoles(method);
            if (!caller.holdsAnyOf(admitted)) {
                throw new ApiExceptions.Forbidden(
                        "this endpoint is for " + describe(admitted) + "; your credential does not hold that role");
            }
        }
        request.setAttribute(CALLER_ATTRIBUTE, caller);
        caller.agentId().ifPresent(agent -> request.setAttribute(AGENT_ATTRIBUTE, agent));
        return true;
    }

    static Set<Role> admittedRoles(HandlerMethod method) {
        RequiresRole onMethod = method.getMethodAnnotation(RequiresRole.class);
        RequiresRole onType = method.getBeanType().getAnnotation(RequiresRole.class);
        RequiresRole declared = onMethod != null ? onMethod : onType;
        return declared == null ? Set.of() : Set.of(declared.value());
    }

    private static String describe(Set<Role> roles) {
        return roles.isEmpty()
                ? "nobody (no role is declared)"
                : "the role(s) "
                        + roles.stream()
                                .map(r -> r.name().toLowerCase())
                                .sorted()
                                .toList();
    }
}
