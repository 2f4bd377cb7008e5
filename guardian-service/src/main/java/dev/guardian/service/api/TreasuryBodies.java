package dev.guardian.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The request and response bodies of the treasury API (agents, wallets, teams, kill switch, treasury actions). */
final class TreasuryBodies {
    private TreasuryBodies() {}

    /** Agent and wallet ids: what {@code AgentId} and {@code WalletId} accept. */
    static final String ID_PATTERN = "[a-z0-9][a-z0-9-]{0,62}";

    static final String ID_MESSAGE = "must be 1-63 lower case letters, digits or '-', starting with a letter or digit";
    static final String TEAM_PATTERN = "[a-z0-9][a-z0-9._-]{0,62}";
    static final String TEAM_MESSAGE =
            "must be 1-63 lower case letters, digits, '.', '_' or '-', starting with a letter or digit";

    /** A new agent with its first policy document (the same format as POST .../policies). */
    record NewAgent(
            @NotBlank @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String id,

            @Size(max = 100) String name,

            @Pattern(regexp = TEAM_PATTERN, message = TEAM_MESSAGE) String team,

            @NotNull JsonNode policy,
            @Size(max = 1000) String comment) {}

    /** Why a change is made; recorded in the audit log with who made it. */
    record Comment(@Size(max = 1000) String comment) {
        String text() {
            return comment == null ? "" : comment.strip();
        }
    }

    /** Why the kill switch moves; required, because auditors will ask. */
    record RequiredComment(@NotBlank @Size(max = 1000) String comment) {}

    record TeamMembership(
            @Pattern(regexp = TEAM_PATTERN, message = TEAM_MESSAGE) String team,

            @Size(max = 1000) String comment) {}

    /**
     * A wallet to create: Guardian generates the key unless {@code privateKey} (64 hex digits) is given
     * to import once. The key is sealed at once and never returned.
     */
    record NewWallet(
            @NotBlank @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String walletId,

            @Pattern(regexp = "(0x)?[0-9a-fA-F]{64}", message = "must be 64 hex digits")
            String privateKey) {
        @Override
        public String toString() {
            return "NewWallet[walletId=" + walletId + ", privateKey=" + (privateKey == null ? "none" : "redacted")
                    + "]";
        }
    }

    record Team(
            @NotBlank @Size(max = 100) String name,
            String timeZone,
            @NotNull List<JsonNode> budgets) {}

    /**
     * A revocation: the allowance the wallet gave {@code spender} over {@code token} (a registered token's
     * symbol, or any token's address) goes to zero. {@code kind} is {@code ERC20} (the token's own
     * allowance, the default) or {@code PERMIT2} (an allowance held by Permit2). Why, in {@code comment}.
     */
    record Revocation(
            @NotBlank @Size(max = 42) String token,
            @NotNull @EvmAddress String spender,

            @Pattern(regexp = "ERC20|PERMIT2", message = "must be ERC20 or PERMIT2") String kind,

            @NotBlank @Size(max = 1000) String comment) {}

    /**
     * A sweep: everything the wallet holds of each asset named (registered symbols, e.g. USDC and ETH) to the
     * configured sweep address; there is no recipient to give. Why, in {@code comment}.
     */
    record Sweep(
            @NotNull @Size(min = 1, max = 16) List<@NotBlank @Size(max = 16) String> assets,
            @NotBlank @Size(max = 1000) String comment) {}

    /** What a sweep started: a request per asset (each a request view), and the assets that had nothing to sweep. */
    record SweepStarted(String sweepAddress, List<RequestView> requests, List<SkippedAsset> skipped) {}

    record SkippedAsset(String asset, String reason) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CreatedAgent(AgentView agent, String token, String tokenNotice) {}

    record Token(String agentId, String credentialId, String token, String tokenNotice) {}

    record Revoked(String agentId, int revoked) {}

    record Changed(boolean changed, AgentView agent) {}

    static final String TOKEN_NOTICE = "this token is shown once; Guardian keeps only its SHA-256";
}
