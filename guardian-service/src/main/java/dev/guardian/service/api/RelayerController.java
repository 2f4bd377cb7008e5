package dev.guardian.service.api;

import dev.guardian.policy.Address;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.service.agents.Relayer;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.identity.Role;
import dev.guardian.service.requests.RequestStore;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Guardian's relayer account, for the people who keep it funded: its address (never its key), what it holds
 * of the native coin now (read from the chain), and the requests whose transactions it has signed and not yet
 * seen settled. It pays the gas of the cancellations of outstanding authorizations; one it cannot pay for is
 * refused with {@code relayer.insufficient-funds} (docs/typed-data.md).
 */
@RestController
@RequestMapping(
        path = "/v1/relayer",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
@RequiresRole({Role.TREASURY, Role.ADMIN, Role.AUDITOR})
class RelayerController {
    private final Relayer relayer;
    private final ChainAdapter chain;
    private final AssetRegistry assets;
    private final RequestStore requests;

    RelayerController(Relayer relayer, ChainAdapter chain, AssetRegistry assets, RequestStore requests) {
        this.relayer = relayer;
        this.chain = chain;
        this.assets = assets;
        this.requests = requests;
    }

    record RelayerView(String address, long chainId, WalletView.Balance balance, List<String> inFlight) {}

    @GetMapping
    RelayerView relayer() {
        Address address = relayer.address();
        return new RelayerView(
                address.toString(),
                chain.chainId().value(),
                WalletView.Balance.of(chain.balance(assets.nativeAsset(), address)),
                requests.relayedInFlight(Relayer.DEFAULT).stream()
                        .map(UUID::toString)
                        .toList());
    }
}
