package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.Relayer;
import dev.guardian.service.agents.RelayerAccount;
import dev.guardian.signer.SealedKey;
import java.util.Objects;
import java.util.Optional;

/**
 * Who sends a request's transaction, and with which key: the wallet the request acts for (every agent's own
 * request, revocations, sweeps), or the relayer ({@code relayer} names it; a cancellation of an authorization).
 * The submitter signs with its key at its nonce, and the receipt worker reads its nonce; what the transaction
 * may do to the wallet is judged and reconciled as for any request of the wallet. {@link #toString()} shows the
 * address alone.
 */
record Sender(Address address, SealedKey key, Optional<String> relayer) {
    Sender {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(relayer, "relayer");
    }

    static Sender wallet(Agent agent) {
        return new Sender(agent.walletAddress(), agent.sealedKey(), Optional.empty());
    }

    static Sender relayer(RelayerAccount account) {
        return new Sender(account.address(), account.sealedKey(), Optional.of(account.id()));
    }

    /** Who sends {@code request}'s transaction: the relayer it names (read as stored now), or {@code agent}'s wallet. */
    static Sender of(StoredRequest request, Agent agent, Relayer relayer) {
        if (request.relayer().isEmpty()) {
            return wallet(agent);
        }
        RelayerAccount account = relayer.account();
        if (!account.id().equals(request.relayer().get())) {
            throw new IllegalStateException("request " + request.id() + " names relayer "
                    + request.relayer().get() + ", not " + account.id());
        }
        return relayer(account);
    }

    boolean relayed() {
        return relayer.isPresent();
    }

    /** What to call it in a message: "the wallet 0x…" or "the relayer 0x…". */
    String describe() {
        return (relayed() ? "the relayer " : "the wallet ") + address;
    }

    @Override
    public String toString() {
        return "Sender[" + describe() + "]";
    }
}
