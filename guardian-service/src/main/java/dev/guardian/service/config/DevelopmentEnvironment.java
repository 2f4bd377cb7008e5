package dev.guardian.service.config;

import dev.guardian.policy.AssetRegistry;
import dev.guardian.service.agents.AgentDefinition;
import dev.guardian.service.identity.PeopleProperties;
import dev.guardian.signer.KeyEncryptionKey;
import java.util.List;

/**
 * What the development mode contributes in place of operator configuration: a local chain with a test
 * USDC, a development key-encryption key, a demo agent and a demo approver. Absent outside the
 * development mode.
 */
public interface DevelopmentEnvironment {
    ChainEndpoint endpoint();

    KeyEncryptionKey keyEncryptionKey();

    List<AgentDefinition> agents(AssetRegistry assets);

    /** People of the demo (an approver), configured like an operator's. */
    List<PeopleProperties.Person> people();
}
