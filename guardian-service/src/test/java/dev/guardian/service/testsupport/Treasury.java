package dev.guardian.service.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import java.util.Optional;

/**
 * A treasury team member at work through the API, as tests need them: create an agent with a policy
 * document, give it wallets (with ETH for gas), post and activate policy versions. Every step checks its
 * answer, so a test reads as the story it tells.
 */
public final class Treasury {
    private final GuardianInstance guardian;
    private final AgentClient client;
    private final DevChain chain;

    public Treasury(GuardianInstance guardian, PersonSpec person, DevChain chain) {
        this.guardian = guardian;
        this.client = new AgentClient(guardian.baseUrl(), person.token());
        this.chain = chain;
    }

    /** The person's own client, for calls the helpers below do not cover. */
    public AgentClient client() {
        return client;
    }

    /** {@code POST /v1/agents} as is: the answer, whatever it is. */
    public AgentClient.Response postAgent(String id, Optional<String> team, String policyJson) {
        return client.post(
                "/v1/agents",
                """
                {"id": "%s", "name": "Agent %s", "comment": "test agent", %s "policy": %s}
                """.formatted(id, id, team.map(t -> "\"team\": \"" + t + "\",").orElse(""), policyJson),
                Optional.empty());
    }

    /** Creates the agent and returns a client holding the token it was given (shown once). */
    public AgentClient createAgent(String id, Optional<String> team, String policyJson) {
        AgentClient.Response created = postAgent(id, team, policyJson);
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return new AgentClient(guardian.baseUrl(), created.text("token"));
    }

    public AgentClient createAgent(String id, String policyJson) {
        return createAgent(id, Optional.empty(), policyJson);
    }

    /** Gives the agent a wallet Guardian generates, with 1 ETH for gas; returns its address. */
    public Address createWallet(String agentId, String walletId) {
        AgentClient.Response wallet = client.post(
                "/v1/agents/" + agentId + "/wallets", "{\"walletId\":\"" + walletId + "\"}", Optional.empty());
        assertThat(wallet.status()).as(wallet.raw().body()).isEqualTo(201);
        Address address = Address.parse(wallet.text("address"));
        chain.setEthBalance(address, TokenAmount.parse(Asset.ether(), "1"));
        return address;
    }

    /** Posts a new version of the agent's policy and activates it; returns its number. */
    public int activateNewVersion(String agentId, String policyJson) {
        AgentClient.Response created =
                client.post("/v1/agents/" + agentId + "/policies?comment=test", policyJson, Optional.empty());
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        int version = created.body().get("version").asInt();
        AgentClient.Response activated = client.post(
                "/v1/agents/" + agentId + "/policies/" + version + "/activate",
                "{\"comment\":\"test\"}",
                Optional.empty());
        assertThat(activated.status()).as(activated.raw().body()).isEqualTo(200);
        return version;
    }
}
