package dev.guardian.service.api;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.WalletId;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.AgentSummary;
import dev.guardian.service.identity.Caller;
import dev.guardian.service.identity.Role;
import dev.guardian.service.requests.RequestPipeline;
import dev.guardian.service.requests.RequestStatus;
import dev.guardian.service.requests.SafeWalletCreation;
import dev.guardian.service.requests.StoredRequest;
import dev.guardian.service.safe.SafeOnChain;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Co-signed Safe wallets (docs/safe-wallets.md). A treasury creates one for an agent
 * ({@code POST /v1/agents/{agentId}/safe-wallets}): owners the agent's own key, Guardian's co-signing key and the
 * treasury's recovery owners, threshold 2, GuardianSafeGuard installed in the creation transaction; the answer is
 * the wallet with its owners, threshold and guard read back from the chain. An agent proposes Safe transactions
 * signed with its owner key ({@code POST /v1/safe-transactions}), answered like a payment.
 */
@RestController
@RequestMapping(
        path = "/v1",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
class SafeController {
    /** How long creating a Safe waits for its transaction's receipt before answering 202. */
    private static final Duration CREATION_WAIT = Duration.ofSeconds(30);

    private final RequestPipeline pipeline;
    private final SafeWalletCreation creation;
    private final AgentDirectory agents;
    private final WalletBalances balances;
    private final AssetRegistry assets;
    private final RequestViews views;

    SafeController(
            RequestPipeline pipeline,
            SafeWalletCreation creation,
            AgentDirectory agents,
            WalletBalances balances,
            AssetRegistry assets,
            RequestViews views) {
        this.views = views;
        this.pipeline = pipeline;
        this.creation = creation;
        this.agents = agents;
        this.balances = balances;
        this.assets = assets;
    }

    /**
     * A Safe wallet to create: {@code agentOwner} is the agent's own key (Guardian never sees it),
     * {@code treasuryOwners} the treasury's recovery owners (at most 8), {@code usdcCapPerWindow} the guard's hard
     * USDC cap (whole units) per {@code windowSeconds}.
     */
    record NewSafeWallet(
            @NotBlank @Pattern(regexp = TreasuryBodies.ID_PATTERN, message = TreasuryBodies.ID_MESSAGE) String walletId,

            @NotNull @EvmAddress String agentOwner,

            @Size(max = 8, message = "at most 8 treasury owners") List<String> treasuryOwners,

            @NotNull @DecimalAmount(allowZero = true) String usdcCapPerWindow,

            @NotNull @Pattern(regexp = "[1-9][0-9]{0,9}", message = "must be a whole number of seconds, at least 1") String windowSeconds,

            @Size(max = 500) String comment) {}

    @PostMapping(path = "/agents/{agentId}/safe-wallets", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresRole({Role.TREASURY, Role.ADMIN})
    ResponseEntity<WalletView> create(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @PathVariable String agentId,
            @Valid @RequestBody NewSafeWallet body)
            throws InterruptedException {
        AgentSummary agent = agents.describe(new AgentId(agentId))
                .orElseThrow(() -> new ApiExceptions.NotFound("no agent " + agentId));
        TokenAmount cap = Amounts.parse("/usdcCapPerWindow", usdcAsset(), body.usdcCapPerWindow());
        SafeWalletCreation.Order order = new SafeWalletCreation.Order(
                agent.id(),
                new WalletId(body.walletId()),
                Address.parse(body.agentOwner()),
                treasuryOwners(body.treasuryOwners()),
                cap.units(),
                Duration.ofSeconds(Long.parseLong(body.windowSeconds())),
                Optional.ofNullable(body.comment()).orElse("Safe wallet created"));
        SafeWalletCreation.Created created;
        try {
            created = TreasuryController.refusals(() -> creation.create(order, TreasuryController.actor(caller)));
        } catch (SafeWalletCreation.Refused e) {
            throw new ApiExceptions.InvalidField(e.field(), e.getMessage());
        }
        StoredRequest request = created.creation();
        long deadline = System.nanoTime() + CREATION_WAIT.toNanos();
        while (!request.status().isFinal() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            request = creation.creation(request.id());
        }
        WalletView view = balances.view(created.walletId().value(), created.safe());
        SafeOnChain.State state = request.status() == RequestStatus.CONFIRMED
                ? creation.onChain(created.safe())
                : new SafeOnChain.State(BigInteger.ZERO, List.of(), 0, Address.ZERO, Address.ZERO, Optional.empty());
        WalletView answer = view.withSafe(WalletView.SafeView.of(
                state,
                created.setup().agentOwner(),
                created.setup().guardianOwner(),
                created.setup().treasuryOwners(),
                cap.toDecimalString(),
                created.setup().window().toSeconds(),
                request.id().toString()));
        return ResponseEntity.status(
                        request.status() == RequestStatus.CONFIRMED ? HttpStatus.CREATED : HttpStatus.ACCEPTED)
                .body(answer);
    }

    @PostMapping(path = "/safe-transactions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresRole(Role.AGENT)
    ResponseEntity<?> propose(
            @RequestAttribute(AgentAuthentication.AGENT_ATTRIBUTE) AgentId agent,
            @RequestHeader(name = AgentController.IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @Valid @RequestBody SafeTransactionBody body) {
        return AgentController.answer(
                pipeline.handleSafe(
                        agent,
                        AgentController.idempotencyKey(idempotencyKey),
                        Optional.ofNullable(body.walletId()).map(WalletId::new),
                        body.toRequest(assets)),
                views::of);
    }

    private static List<Address> treasuryOwners(List<String> given) {
        List<Address> owners = new ArrayList<>();
        List<String> listed = given == null ? List.of() : given;
        for (int i = 0; i < listed.size(); i++) {
            try {
                owners.add(Address.parse(listed.get(i)));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ApiExceptions.InvalidField(
                        "/treasuryOwners/" + i,
                        "must be an address (0x and 40 hex digits, EIP-55 checksum if mixed case)");
            }
        }
        return owners;
    }

    private Asset usdcAsset() {
        return assets.tokens().stream()
                .filter(t -> t.symbol().equals("USDC"))
                .findFirst()
                .orElseThrow(() -> new ApiExceptions.InvalidField("/usdcCapPerWindow", "no USDC on this chain"));
    }
}
