package dev.guardian.service.testsupport;

import dev.guardian.policy.Address;
import dev.guardian.service.identity.ApiKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One agent for a test Guardian, rendered into the same {@code guardian.agents[i].*} properties an
 * operator would write. The API key is generated here and only its hash reaches the service.
 */
public final class AgentSpec {
    private final String id;
    private final String apiKey = ApiKeys.generate();
    private String walletId;
    private String perTransactionCapUsdc = "100";
    private String budgetUsdc = "500";
    private Duration window = Duration.ofHours(24);
    private boolean frozen;
    private Path importKeyFile;
    private String approvalDeadline;
    private String quorumAboveUsdc;
    private int quorumApprovals;
    private final List<Address> allowlist = new ArrayList<>();
    private final List<String> x402Origins = new ArrayList<>();
    private String x402MaxPerRequestUsdc;
    private String maxSignatureValidity;
    private final List<String[]> messages = new ArrayList<>();

    private AgentSpec(String id) {
        this.id = id;
        this.walletId = id + "-wallet";
    }

    public static AgentSpec agent(String id) {
        return new AgentSpec(id);
    }

    public AgentSpec perTransactionCap(String usdc) {
        this.perTransactionCapUsdc = usdc;
        return this;
    }

    public AgentSpec budget(String usdc, Duration window) {
        this.budgetUsdc = usdc;
        this.window = window;
        return this;
    }

    /** Lets the agent pay x402 resources of {@code origins}, at most {@code maxPerRequestUsdc} each. */
    public AgentSpec x402(String maxPerRequestUsdc, String... origins) {
        this.x402MaxPerRequestUsdc = maxPerRequestUsdc;
        this.x402Origins.addAll(List.of(origins));
        return this;
    }

    /**
     * Lets the agent sign typed data that moves no value of exactly the EIP-712 domain {@code {name: domain,
     * chainId}} and the type {@code encodedType} ({@code Login(string user,uint256 issuedAt)}).
     */
    public AgentSpec allowMessage(String domain, long chainId, String encodedType) {
        messages.add(new String[] {
            domain, Long.toString(chainId), encodedType.substring(0, encodedType.indexOf('(')), encodedType
        });
        return this;
    }

    /** The longest a typed-data signature may stay usable, as configuration writes it ({@code 10m}). */
    public AgentSpec maxSignatureValidity(String duration) {
        this.maxSignatureValidity = duration;
        return this;
    }

    /** Adds counterparties to the allowlist; one already on it stays once (a policy lists an address once). */
    public AgentSpec allow(Address... counterparties) {
        for (Address counterparty : counterparties) {
            if (!allowlist.contains(counterparty)) {
                allowlist.add(counterparty);
            }
        }
        return this;
    }

    public AgentSpec frozen(boolean frozen) {
        this.frozen = frozen;
        return this;
    }

    /** Escalations expire after {@code deadline} (e.g. "24h"). */
    public AgentSpec approvalDeadline(String deadline) {
        this.approvalDeadline = deadline;
        return this;
    }

    /** Escalations moving more than {@code usdc} need {@code approvals} distinct approvers. */
    public AgentSpec quorumAbove(String usdc, int approvals) {
        this.quorumAboveUsdc = usdc;
        this.quorumApprovals = approvals;
        return this;
    }

    /** The wallet imports this hex key file on first start instead of generating a key. */
    public AgentSpec importKeyFrom(Path file) {
        this.importKeyFile = file;
        return this;
    }

    public AgentSpec wallet(String walletId) {
        this.walletId = walletId;
        return this;
    }

    public String walletId() {
        return walletId;
    }

    public String id() {
        return id;
    }

    public String apiKey() {
        return apiKey;
    }

    Map<String, String> properties(int index) {
        String p = "guardian.agents[" + index + "].";
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(p + "id", id);
        properties.put(p + "api-key-sha256", HexFormat.of().formatHex(ApiKeys.sha256(apiKey)));
        properties.put(p + "frozen", Boolean.toString(frozen));
        properties.put(p + "wallet.id", walletId);
        if (importKeyFile != null) {
            properties.put(p + "wallet.import-key-file", importKeyFile.toString());
        }
        properties.put(p + "policy.per-transaction-cap.USDC", perTransactionCapUsdc);
        properties.put(p + "policy.budgets[0].asset", "USDC");
        properties.put(p + "policy.budgets[0].limit", budgetUsdc);
        properties.put(p + "policy.budgets[0].window", window.toString());
        if (approvalDeadline != null) {
            properties.put(p + "policy.approvals.deadline", approvalDeadline);
        }
        if (quorumAboveUsdc != null) {
            properties.put(p + "policy.approvals.quorum[0].asset", "USDC");
            properties.put(p + "policy.approvals.quorum[0].above", quorumAboveUsdc);
            properties.put(p + "policy.approvals.quorum[0].approvals", Integer.toString(quorumApprovals));
        }
        for (int i = 0; i < allowlist.size(); i++) {
            properties.put(
                    p + "policy.allowlist[" + i + "].address", allowlist.get(i).toString());
            properties.put(p + "policy.allowlist[" + i + "].label", "test counterparty " + i);
        }
        for (int i = 0; i < x402Origins.size(); i++) {
            properties.put(p + "policy.x402.origins[" + i + "]", x402Origins.get(i));
        }
        if (x402MaxPerRequestUsdc != null) {
            properties.put(p + "policy.x402.max-per-request.USDC", x402MaxPerRequestUsdc);
        }
        for (int i = 0; i < messages.size(); i++) {
            properties.put(p + "policy.signatures.messages[" + i + "].domain", messages.get(i)[0]);
            properties.put(p + "policy.signatures.messages[" + i + "].chain-id", messages.get(i)[1]);
            properties.put(p + "policy.signatures.messages[" + i + "].primary-type", messages.get(i)[2]);
            properties.put(p + "policy.signatures.messages[" + i + "].type", messages.get(i)[3]);
        }
        if (maxSignatureValidity != null) {
            properties.put(p + "policy.signatures.max-validity", maxSignatureValidity);
        }
        return properties;
    }
}
