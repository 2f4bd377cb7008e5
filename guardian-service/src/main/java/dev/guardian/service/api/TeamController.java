package dev.guardian.service.api;

import dev.guardian.service.agents.Teams;
import dev.guardian.service.identity.Caller;
import dev.guardian.service.identity.Role;
import dev.guardian.service.policies.PolicyDocument;
import jakarta.validation.Valid;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Teams and their shared budgets: several agents draw from a team budget on top of their own. A PUT
 * creates the team or replaces its budgets as a new version; budgets use the policy document's budget
 * format and are validated the same way.
 */
@RestController
@RequestMapping(
        path = "/v1/teams",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
@RequiresRole({Role.TREASURY, Role.ADMIN})
class TeamController {
    private final Teams teams;
    private final PolicyBodies policyBodies;
    private final JsonMapper json;

    TeamController(Teams teams, PolicyBodies policyBodies, JsonMapper json) {
        this.teams = teams;
        this.policyBodies = policyBodies;
        this.json = json;
    }

    record TeamView(
            String id,
            String name,
            int version,
            Object budgets,
            String updatedAt,
            String updatedBy,
            List<String> members) {}

    @PutMapping(path = "/{teamId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    TeamView put(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @PathVariable String teamId,
            @Valid @RequestBody TreasuryBodies.Team body) {
        if (!teamId.matches(TreasuryBodies.TEAM_PATTERN)) {
            throw new ApiExceptions.NotFound("no team " + teamId + " (a team id " + TreasuryBodies.TEAM_MESSAGE + ")");
        }
        Map<String, Object> document = new LinkedHashMap<>();
        if (body.timeZone() != null) {
            document.put("timeZone", body.timeZone());
        }
        document.put("budgets", body.budgets());
        PolicyDocument budgets = policyBodies.parse(json.valueToTree(document), "");
        return view(teams.put(teamId, body.name().strip(), budgets, TreasuryController.actor(caller)));
    }

    @GetMapping
    @RequiresRole({Role.TREASURY, Role.ADMIN, Role.AUDITOR})
    List<TeamView> list() {
        return teams.list().stream().map(this::view).toList();
    }

    @GetMapping("/{teamId}")
    @RequiresRole({Role.TREASURY, Role.ADMIN, Role.AUDITOR})
    TeamView get(@PathVariable String teamId) {
        return teams.find(teamId).map(this::view).orElseThrow(() -> new ApiExceptions.NotFound("no team " + teamId));
    }

    private TeamView view(Teams.Team team) {
        // Only the parts a team has: its budgets and the zone their calendar periods count in.
        JsonNode document = json.valueToTree(team.budgets());
        Map<String, JsonNode> budgets = new LinkedHashMap<>();
        budgets.put("timeZone", document.get("timeZone"));
        budgets.put("budgets", document.get("budgets"));
        return new TeamView(
                team.id(),
                team.name(),
                team.version(),
                budgets,
                team.updatedAt().toString(),
                team.updatedBy(),
                team.members());
    }
}
