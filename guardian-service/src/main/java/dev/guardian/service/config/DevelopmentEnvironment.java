package dev.guardian.service.config;

import dev.guardian.policy.AssetRegistry;
import dev.guardian.service.agents.AgentDefinition;
import dev.guardian.signer.KeyEncryptionKey;
import java.util.List;

/**
 * What the development mode contributes in place of operator configuration: a local chain with a test
 * USDC, a development key-encryption key, and a demo agent. Absent outside the development mode.
 */
public interface DevelopmentEnvironment {
    ChainEndpoint endpoint();

    KeyEncryptionKey keyEncryptionKey();

    List<AgentDefinition> agents(AssetRegistry assets);
}
