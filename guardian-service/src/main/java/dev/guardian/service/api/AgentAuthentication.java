package dev.guardian.service.api;

import dev.guardian.policy.AgentId;
import dev.guardian.service.agents.AgentDirectory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Authenticates agents by their API key ({@code Authorization: Bearer grd_...}). An unknown key and a
 * wrong key get the same answer, so the API does not reveal which agents exist.
 */
class AgentAuthentication implements HandlerInterceptor {
    static final String AGENT_ATTRIBUTE = "guardian.agent";
    private static final String BEARER = "Bearer ";

    private final AgentDirectory agents;

    AgentAuthentication(AgentDirectory agents) {
        this.agents = agents;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiExceptions.Unauthenticated();
        }
        AgentId agent = agents.authenticate(header.substring(BEARER.length()).strip())
                .orElseThrow(ApiExceptions.Unauthenticated::new);
        request.setAttribute(AGENT_ATTRIBUTE, agent);
        return true;
    }
}
