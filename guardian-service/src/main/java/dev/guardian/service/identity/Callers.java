package dev.guardian.service.identity;

import dev.guardian.policy.Hex;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.ApiKeys;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a bearer token into a {@link Caller}: an agent's API key (looked up by its hash in the
 * database) or a configured person's token. Tokens are compared only as SHA-256 hashes.
 */
public class Callers {
    private final AgentDirectory agents;
    private final Map<String, Caller> peopleByHash = new HashMap<>();

    public Callers(AgentDirectory agents, List<PeopleProperties.Person> people) {
        this.agents = agents;
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < people.size(); i++) {
            PeopleProperties.Person person = people.get(i);
            String path = "guardian.people[" + i + "]";
            if (!ids.add(person.id())) {
                throw new IllegalArgumentException(path + ".id: person " + person.id() + " is configured twice");
            }
            if (person.roles().contains(Role.AGENT)) {
                throw new IllegalArgumentException(path + ".roles: a person cannot hold the agent role");
            }
            String hash = Hex.encode(Hex.decode(person.apiKeySha256()));
            if (peopleByHash.put(hash, new Caller(person.id(), Caller.Kind.PERSON, Set.copyOf(person.roles()))) != null) {
                throw new IllegalArgumentException(path + ".api-key-sha256: the same token is configured for two people");
            }
        }
    }

    public Optional<Caller> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Optional.empty();
        }
        Optional<Caller> agent = agents.authenticate(token).map(Caller::agent);
        if (agent.isPresent()) {
            return agent;
        }
        return Optional.ofNullable(peopleByHash.get(Hex.encode(ApiKeys.sha256(token))));
    }
}
