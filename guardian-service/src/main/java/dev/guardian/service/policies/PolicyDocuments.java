package dev.guardian.service.policies;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.rules.AllowlistEntry;
import dev.guardian.policy.rules.Approvals;
import dev.guardian.policy.rules.ArgumentCondition;
import dev.guardian.policy.rules.BudgetPeriod;
import dev.guardian.policy.rules.ContractEntry;
import dev.guardian.policy.rules.ContractRules;
import dev.guardian.policy.rules.FeeLimits;
import dev.guardian.policy.rules.FunctionSignature;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.SignatureRules;
import dev.guardian.policy.rules.TransactionCountLimit;
import dev.guardian.policy.rules.WindowBudget;
import dev.guardian.signer.Eip712;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hibernate.validator.HibernateValidator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Reads, validates and converts policy documents. {@link #parse} finds every problem in a submitted
 * document, each with the JSON pointer of the field at fault: shape and unknown fields while reading,
 * Hibernate Validator annotations on {@link PolicyDocument}, then what annotations cannot know (assets of
 * this deployment, their decimals, EIP-55 checksums, durations, zones, duplicates). A valid document comes
 * back in canonical form: every default spelled out, addresses checksummed, periods in lower case, the
 * per-transaction map ordered by symbol. That form is what a version stores and what diffs compare.
 */
public final class PolicyDocuments {
    static final String DEFAULT_TIME_ZONE = "UTC";
    static final String DEFAULT_DEADLINE = "24h";
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,6})([mhd])");
    private static final Duration SHORTEST_WINDOW = Duration.ofMinutes(1);
    private static final Duration LONGEST_WINDOW = Duration.ofDays(366);
    private static final Duration SHORTEST_DEADLINE = Duration.ofMinutes(1);
    private static final Duration LONGEST_DEADLINE = Duration.ofDays(30);
    /**
     * The longest a typed-data signature may stay usable, whatever a policy says: a week. A signed
     * authorisation is a bearer instrument until it lapses; a longer one is a standing grant, which an
     * allowance (judged, recorded and revocable) expresses better.
     */
    static final Duration LONGEST_SIGNATURE_VALIDITY = Duration.ofDays(7);
    /** An EIP-712 type name: a Solidity identifier. */
    private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    /** Fee limits that apply where a document sets none: safe on Base, where a transfer costs a fraction of a cent. */
    static final long DEFAULT_MAX_GAS_LIMIT = 3_000_000;

    static final String DEFAULT_MAX_FEE_PER_TRANSACTION = "0.005";
    static final String DEFAULT_FEE_BUDGET = "0.05";
    static final Duration DEFAULT_FEE_WINDOW = Duration.ofHours(24);
    static final int DEFAULT_MAX_REVERTS = 3;
    static final Duration DEFAULT_REVERT_WINDOW = Duration.ofHours(1);
    private static final String WINDOW_OR_PERIOD =
            "give exactly one of window (rolling, e.g. 24h) or period (calendar: day, week or month)";

    private final AssetRegistry assets;
    private final Validator validator;
    private final DocumentReader reader = new DocumentReader();
    private final JsonMapper canonicalJson = JsonMapper.builder()
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    private final YAMLMapper yaml = YAMLMapper.builder()
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            // Every string quoted: an address unquoted would read as a hexadecimal number elsewhere.
            .disable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .build();

    PolicyDocuments(AssetRegistry assets) {
        this.assets = assets;
        // English messages whatever the machine's locale: they end up in API answers and audit records.
        this.validator = Validation.byProvider(HibernateValidator.class)
                .configure()
                .defaultLocale(Locale.ENGLISH)
                .buildValidatorFactory()
                .getValidator();
    }

    /**
     * Reads and validates a submitted document.
     *
     * @param yaml whether the body is YAML (otherwise JSON)
     * @return the document in canonical form
     * @throws InvalidPolicyException with every problem found, each with its pointer
     */
    public PolicyDocument parse(byte[] body, boolean yaml) throws InvalidPolicyException {
        DocumentReader.Read read = reader.read(body, yaml);
        Problems problems = new Problems(read.problems());
        if (read.document() == null) {
            throw problems.exception();
        }
        return check(read.document(), problems).canonical();
    }

    /**
     * Validates a document built in code (or read back) and returns its canonical form.
     *
     * @throws InvalidPolicyException with every problem found
     */
    public PolicyDocument canonical(PolicyDocument document) throws InvalidPolicyException {
        return check(document, new Problems(List.of())).canonical();
    }

    /** The domain policy a valid document describes, named by {@code version} in every decision it makes. */
    public Policy toPolicy(PolicyDocument document, String version) {
        return check(document, new Problems(List.of())).policy(version);
    }

    /**
     * The document for a policy written in configuration ({@code guardian.agents[i].policy}), so configured
     * agents keep working: the per-transaction cap escalates above it, budgets are rolling windows, an
     * allowlist entry without a label is labelled with its address.
     *
     * @throws IllegalArgumentException naming every problem when the configured policy is not valid
     */
    public PolicyDocument fromConfiguration(ConfiguredPolicy configured) {
        Map<String, PolicyDocument.PerTransaction> perTransaction = new TreeMap<>();
        configured
                .perTransactionCap()
                .forEach((symbol, cap) -> perTransaction.put(symbol, new PolicyDocument.PerTransaction(cap, null)));
        List<PolicyDocument.Budget> budgets = configured.budgets().stream()
                .map(b -> new PolicyDocument.Budget(b.asset(), b.limit(), durationText(b.window()), null))
                .toList();
        List<PolicyDocument.AllowlistEntry> allowlist = configured.allowlist().stream()
                .map(e -> new PolicyDocument.AllowlistEntry(
                        e.address(),
                        e.label() == null || e.label().isBlank() ? e.address() : e.label(),
                        null,
                        List.of(),
                        e.kind()))
                .toList();
        ConfiguredPolicy.Fees fees = configured.fees();
        PolicyDocument.Fees feeDocument = fees == null
                        || (fees.maxPerTransaction() == null && fees.budget() == null && fees.maxGasLimit() == null)
                ? null
                : new PolicyDocument.Fees(
                        fees.maxGasLimit(),
                        fees.maxPerTransaction(),
                        fees.budget() == null
                                ? null
                                : List.of(new PolicyDocument.FeeBudget(
                                        fees.budget(),
                                        durationText(
                                                fees.budgetWindow() == null ? DEFAULT_FEE_WINDOW : fees.budgetWindow()),
                                        null)),
                        null);
        List<PolicyDocument.QuorumStep> quorum = configured.approvals().quorum().stream()
                .map(q -> new PolicyDocument.QuorumStep(q.asset(), q.above(), q.approvals()))
                .toList();
        ConfiguredPolicy.Signatures signatures = configured.signatures();
        PolicyDocument.Signatures signatureDocument = signatures == null
                ? null
                : new PolicyDocument.Signatures(
                        signatures.maxValidity() == null
                                ? null
                                : signatures.maxValidity().toString(),
                        signatures.messages().stream()
                                .map(m -> new PolicyDocument.Message(
                                        m.domain(),
                                        m.version(),
                                        m.chainId(),
                                        m.verifyingContract(),
                                        m.primaryType(),
                                        m.type()))
                                .toList());
        ConfiguredPolicy.X402 x402 = configured.x402();
        PolicyDocument.X402 x402Document =
                x402 == null ? null : new PolicyDocument.X402(x402.origins(), new TreeMap<>(x402.maxPerRequest()));
        PolicyDocument document = new PolicyDocument(
                perTransaction,
                budgets,
                DEFAULT_TIME_ZONE,
                List.of(),
                allowlist,
                new PolicyDocument.Approvals(durationText(configured.approvals().deadline()), quorum),
                null,
                null,
                feeDocument,
                signatureDocument,
                x402Document);
        try {
            return canonical(document);
        } catch (InvalidPolicyException e) {
            throw new IllegalArgumentException("the configured policy is not valid: " + e.getMessage(), e);
        }
    }

    /** The canonical JSON text of a valid document: stable key order, no absent fields. */
    public String toJson(PolicyDocument document) {
        return canonicalJson.writeValueAsString(canonical(document));
    }

    /** The document as YAML, the way people write it. */
    public String toYaml(PolicyDocument document) {
        return yaml.writeValueAsString(canonical(document));
    }

    /** Whether two documents say the same thing once both are in canonical form. */
    public boolean sameContent(PolicyDocument a, PolicyDocument b) {
        return toJson(a).equals(toJson(b));
    }

    /**
     * What changes from {@code from} to {@code to}: with no {@code from} (no version active yet), every
     * field of {@code to} is an addition.
     */
    public List<PolicyChange> diff(Optional<PolicyDocument> from, PolicyDocument to) {
        JsonNode before = from.<JsonNode>map(d -> canonicalJson.valueToTree(canonical(d)))
                .orElseGet(canonicalJson::createObjectNode);
        return PolicyChange.between(before, canonicalJson.valueToTree(canonical(to)), canonicalJson);
    }

    /** Reads a document stored as canonical JSON; it was valid when stored, so a failure here is a bug. */
    PolicyDocument readStored(String json) {
        return reader.readStored(json);
    }

    /** {@code P7D} for whole days, otherwise as {@link Duration#toString()} writes it ({@code PT10M}, {@code PT1H30M}). */
    static String isoDuration(Duration duration) {
        return duration.toSeconds() % Duration.ofDays(1).toSeconds() == 0 && duration.getNano() == 0
                ? "P" + duration.toDays() + "D"
                : duration.toString();
    }

    /** {@code 30m}, {@code 24h} or {@code 7d}: the largest unit that divides the duration exactly. */
    static String durationText(Duration duration) {
        if (duration == null) {
            return null;
        }
        if (duration.isNegative()
                || duration.isZero()
                || duration.toSecondsPart() != 0
                || duration.toNanosPart() != 0) {
            throw new IllegalArgumentException(
                    "a policy duration is a positive whole number of minutes, not " + duration);
        }
        long minutes = duration.toMinutes();
        if (minutes % (24 * 60) == 0) {
            return minutes / (24 * 60) + "d";
        }
        return minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    private Checked check(PolicyDocument document, Problems problems) {
        for (ConstraintViolation<PolicyDocument> violation : validator.validate(document)) {
            problems.add(JsonPointers.of(violation.getPropertyPath()), violation.getMessage());
        }
        return new Checker(problems).check(document);
    }

    /** Problems found so far; the first one at a pointer wins, so a field is reported once. */
    private static final class Problems {
        private final Map<String, PolicyProblem> byPointer = new LinkedHashMap<>();

        Problems(List<PolicyProblem> found) {
            found.forEach(p -> byPointer.putIfAbsent(p.pointer(), p));
        }

        void add(String pointer, String message) {
            byPointer.putIfAbsent(pointer, new PolicyProblem(pointer, message));
        }

        boolean isEmpty() {
            return byPointer.isEmpty();
        }

        InvalidPolicyException exception() {
            return new InvalidPolicyException(byPointer.values().stream()
                    .sorted(Comparator.comparing(PolicyProblem::pointer))
                    .toList());
        }
    }

    /** A checked document: its canonical form and the domain parts, or the problems that stop it. */
    private record Checked(
            Problems problems,
            PolicyDocument canonicalForm,
            Map<Asset, TokenAmount> caps,
            Map<Asset, TokenAmount> limits,
            List<WindowBudget> budgets,
            Map<Address, AllowlistEntry> allowlist,
            List<TransactionCountLimit> counts,
            Approvals approvals,
            ContractRules contracts,
            FeeLimits fees,
            SignatureRules signatures) {

        PolicyDocument canonical() {
            if (!problems.isEmpty()) {
                throw problems.exception();
            }
            return canonicalForm;
        }

        Policy policy(String version) {
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("policy version " + version + " cannot be used: "
                        + problems.exception().getMessage());
            }
            return new Policy(
                    version, caps, limits, budgets, allowlist, counts, approvals, contracts, fees, signatures);
        }
    }

    /** The checks annotations cannot make, collecting the domain parts as it goes. */
    private final class Checker {
        private final Problems problems;
        private ZoneId zone;

        Checker(Problems problems) {
            this.problems = problems;
        }

        Checked check(PolicyDocument d) {
            String zoneText = d.timeZone() == null ? DEFAULT_TIME_ZONE : d.timeZone();
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                problems.add(
                        "/timeZone",
                        "unknown time zone '" + zoneText + "'; use an IANA zone such as Europe/Zurich, or UTC");
            }

            Map<String, PolicyDocument.PerTransaction> perTransaction = new TreeMap<>();
            Map<Asset, TokenAmount> caps = new LinkedHashMap<>();
            Map<Asset, TokenAmount> limits = new LinkedHashMap<>();
            for (Map.Entry<String, PolicyDocument.PerTransaction> entry :
                    orEmpty(d.perTransaction()).entrySet()) {
                String at = JsonPointers.child("/perTransaction", entry.getKey());
                PolicyDocument.PerTransaction limit = entry.getValue();
                if (limit == null) {
                    continue;
                }
                if (limit.escalateAbove() == null && limit.max() == null) {
                    problems.add(at, "give escalateAbove (escalate above it), max (deny above it) or both");
                }
                Asset asset = asset(at, entry.getKey());
                if (asset != null) {
                    TokenAmount escalateAbove = amount(at + "/escalateAbove", asset, limit.escalateAbove());
                    TokenAmount max = amount(at + "/max", asset, limit.max());
                    if (escalateAbove != null && max != null && escalateAbove.exceeds(max)) {
                        problems.add(
                                at + "/escalateAbove",
                                "is above max (" + max.toDecimalString()
                                        + "): requests above max are denied, so this threshold would never escalate anything");
                    }
                    Optional.ofNullable(escalateAbove).ifPresent(a -> caps.put(asset, a));
                    Optional.ofNullable(max).ifPresent(a -> limits.put(asset, a));
                }
                perTransaction.put(
                        entry.getKey(), new PolicyDocument.PerTransaction(limit.escalateAbove(), limit.max()));
            }

            List<PolicyDocument.Budget> budgetDocuments = new ArrayList<>();
            List<WindowBudget> budgets = budgets("/budgets", orEmpty(d.budgets()), budgetDocuments);

            List<PolicyDocument.CountLimit> countDocuments = new ArrayList<>();
            List<TransactionCountLimit> counts = new ArrayList<>();
            Map<BudgetPeriod, Integer> countPeriods = new HashMap<>();
            List<PolicyDocument.CountLimit> countLimits = orEmpty(d.transactionCounts());
            for (int i = 0; i < countLimits.size(); i++) {
                PolicyDocument.CountLimit count = countLimits.get(i);
                if (count == null) {
                    continue;
                }
                String at = JsonPointers.child("/transactionCounts", i);
                BudgetPeriod period = period(at, count.window(), count.period());
                if (period != null) {
                    Integer earlier = countPeriods.putIfAbsent(period, i);
                    if (earlier != null) {
                        problems.add(
                                at,
                                "counts over the same period as /transactionCounts/" + earlier
                                        + "; one limit per period");
                    } else if (count.max() != null) {
                        counts.add(new TransactionCountLimit(count.max(), period));
                    }
                }
                countDocuments.add(new PolicyDocument.CountLimit(count.max(), count.window(), lower(count.period())));
            }

            List<PolicyDocument.AllowlistEntry> allowlistDocuments = new ArrayList<>();
            Map<Address, AllowlistEntry> allowlist = new LinkedHashMap<>();
            Map<Address, Integer> listedAt = new HashMap<>();
            List<PolicyDocument.AllowlistEntry> entries = orEmpty(d.allowlist());
            for (int i = 0; i < entries.size(); i++) {
                PolicyDocument.AllowlistEntry entry = entries.get(i);
                if (entry == null) {
                    continue;
                }
                String at = JsonPointers.child("/allowlist", i);
                Address address = address(at + "/address", entry.address());
                if (address != null) {
                    Integer earlier = listedAt.putIfAbsent(address, i);
                    if (earlier != null) {
                        problems.add(at + "/address", "is listed twice: also at /allowlist/" + earlier);
                    }
                }
                Instant expiresAt = instant(at + "/expiresAt", entry.expiresAt());
                List<PolicyDocument.Budget> limitDocuments = new ArrayList<>();
                List<WindowBudget> counterpartyLimits =
                        budgets(at + "/limits", orEmpty(entry.limits()), limitDocuments);
                AllowlistEntry.Kind kind = AllowlistEntry.Kind.PAYEE;
                if (entry.kind() != null) {
                    try {
                        kind = AllowlistEntry.Kind.valueOf(entry.kind().strip().toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        problems.add(
                                at + "/kind", "must be payee (money may end here) or contract (money passes through)");
                    }
                }
                if (address != null
                        && entry.label() != null
                        && !entry.label().isBlank()
                        && !allowlist.containsKey(address)) {
                    allowlist.put(
                            address,
                            new AllowlistEntry(
                                    entry.label(), kind, Optional.ofNullable(expiresAt), counterpartyLimits));
                }
                allowlistDocuments.add(new PolicyDocument.AllowlistEntry(
                        address == null ? entry.address() : address.toString(),
                        entry.label(),
                        expiresAt == null ? entry.expiresAt() : expiresAt.toString(),
                        List.copyOf(limitDocuments),
                        lower(entry.kind())));
            }

            PolicyDocument.Approvals approvalDocument =
                    d.approvals() == null ? new PolicyDocument.Approvals(null, null) : d.approvals();
            String deadlineText = approvalDocument.deadline() == null ? DEFAULT_DEADLINE : approvalDocument.deadline();
            Duration deadline = duration("/approvals/deadline", deadlineText, SHORTEST_DEADLINE, LONGEST_DEADLINE);
            List<PolicyDocument.QuorumStep> quorumDocuments = new ArrayList<>();
            List<Approvals.Step> steps = new ArrayList<>();
            Map<TokenAmount, Integer> stepAt = new HashMap<>();
            List<PolicyDocument.QuorumStep> quorum = orEmpty(approvalDocument.quorum());
            for (int i = 0; i < quorum.size(); i++) {
                PolicyDocument.QuorumStep step = quorum.get(i);
                if (step == null) {
                    continue;
                }
                String at = JsonPointers.child("/approvals/quorum", i);
                Asset asset = asset(at + "/asset", step.asset());
                TokenAmount above = asset == null ? null : amount(at + "/above", asset, step.above());
                if (above != null) {
                    Integer earlier = stepAt.putIfAbsent(above, i);
                    if (earlier != null) {
                        problems.add(
                                at,
                                "the same asset and amount as /approvals/quorum/" + earlier
                                        + "; one step per threshold");
                    } else if (step.approvals() != null && step.approvals() >= 1 && step.approvals() <= 10) {
                        steps.add(new Approvals.Step(above, step.approvals()));
                    }
                }
                quorumDocuments.add(step);
            }

            Verdict outside = Verdict.ESCALATE;
            if (d.outsideContracts() != null) {
                switch (d.outsideContracts().strip().toLowerCase(Locale.ROOT)) {
                    case "escalate" -> outside = Verdict.ESCALATE;
                    case "deny" -> outside = Verdict.DENY;
                    default -> problems.add("/outsideContracts", "must be escalate or deny");
                }
            }
            List<PolicyDocument.Contract> contractDocuments = new ArrayList<>();
            Map<Address, ContractEntry> contracts = contracts(d.contracts(), contractDocuments);
            // A registered token's own transfer and approve are always callable (every effect they have is
            // judged by the value rules) unless the document lists the token itself.
            for (Asset token : assets.tokens()) {
                if (token instanceof Asset.Erc20 erc20) {
                    contracts.putIfAbsent(erc20.contract(), ContractEntry.erc20(erc20.symbol()));
                }
            }
            FeesChecked fees = fees(d.fees());
            SignaturesChecked signatures = signatures(d.signatures(), d.x402());

            PolicyDocument canonical = new PolicyDocument(
                    Collections.unmodifiableMap(perTransaction),
                    List.copyOf(budgetDocuments),
                    zone == null ? zoneText : zone.getId(),
                    List.copyOf(countDocuments),
                    List.copyOf(allowlistDocuments),
                    new PolicyDocument.Approvals(deadlineText, List.copyOf(quorumDocuments)),
                    d.contracts() == null ? null : List.copyOf(contractDocuments),
                    lower(d.outsideContracts()),
                    fees.document(),
                    signatures.signatures(),
                    signatures.x402());
            Approvals approvals = deadline == null ? null : new Approvals(deadline, steps);
            return new Checked(
                    problems,
                    canonical,
                    caps,
                    limits,
                    budgets,
                    allowlist,
                    counts,
                    approvals,
                    new ContractRules(contracts, outside),
                    fees.limits(),
                    signatures.rules());
        }

        /** The contract allowlist under /contracts, and its canonical documents. */
        private Map<Address, ContractEntry> contracts(
                List<PolicyDocument.Contract> documents, List<PolicyDocument.Contract> canonical) {
            Map<Address, ContractEntry> contracts = new LinkedHashMap<>();
            Map<Address, Integer> listedAt = new HashMap<>();
            List<PolicyDocument.Contract> entries = orEmpty(documents);
            for (int i = 0; i < entries.size(); i++) {
                PolicyDocument.Contract entry = entries.get(i);
                if (entry == null) {
                    continue;
                }
                String at = JsonPointers.child("/contracts", i);
                Address address = address(at + "/address", entry.address());
                if (address != null && listedAt.putIfAbsent(address, i) != null) {
                    problems.add(at + "/address", "is listed twice: also at /contracts/" + listedAt.get(address));
                }
                List<ContractEntry.Function> functions = new ArrayList<>();
                List<PolicyDocument.Function> functionDocuments = new ArrayList<>();
                List<PolicyDocument.Function> given = orEmpty(entry.functions());
                for (int f = 0; f < given.size(); f++) {
                    PolicyDocument.Function function = given.get(f);
                    if (function == null || function.signature() == null) {
                        continue;
                    }
                    String fAt = JsonPointers.child(at + "/functions", f);
                    FunctionSignature signature;
                    try {
                        signature = FunctionSignature.parse(function.signature());
                    } catch (IllegalArgumentException e) {
                        problems.add(fAt + "/signature", e.getMessage());
                        continue;
                    }
                    List<ArgumentCondition> conditions = new ArrayList<>();
                    List<PolicyDocument.Argument> argumentDocuments = new ArrayList<>();
                    List<PolicyDocument.Argument> arguments = orEmpty(function.arguments());
                    for (int a = 0; a < arguments.size(); a++) {
                        PolicyDocument.Argument argument = arguments.get(a);
                        if (argument == null) {
                            continue;
                        }
                        String aAt = JsonPointers.child(fAt + "/arguments", a);
                        ArgumentCondition.Constraint constraint = constraint(aAt, argument);
                        if (constraint != null && argument.index() != null) {
                            conditions.add(new ArgumentCondition(argument.index(), constraint));
                        }
                        argumentDocuments.add(canonicalArgument(argument));
                    }
                    try {
                        functions.add(new ContractEntry.Function(signature, conditions));
                    } catch (IllegalArgumentException e) {
                        problems.add(fAt + "/arguments", e.getMessage());
                    }
                    functionDocuments.add(new PolicyDocument.Function(
                            signature.canonical(),
                            function.arguments() == null ? null : List.copyOf(argumentDocuments)));
                }
                List<String> events = new ArrayList<>();
                List<String> knownEvents = orEmpty(entry.knownEvents());
                for (int e = 0; e < knownEvents.size(); e++) {
                    try {
                        events.add(FunctionSignature.parse(knownEvents.get(e)).canonical());
                    } catch (IllegalArgumentException ex) {
                        problems.add(JsonPointers.child(at + "/knownEvents", e), ex.getMessage());
                    }
                }
                if (address != null
                        && entry.label() != null
                        && !entry.label().isBlank()
                        && !contracts.containsKey(address)) {
                    try {
                        contracts.put(address, ContractEntry.of(entry.label(), functions, events));
                    } catch (IllegalArgumentException e) {
                        problems.add(at + "/functions", e.getMessage());
                    }
                }
                canonical.add(new PolicyDocument.Contract(
                        address == null ? entry.address() : address.toString(),
                        entry.label(),
                        List.copyOf(functionDocuments),
                        entry.knownEvents() == null ? null : List.copyOf(events)));
            }
            return contracts;
        }

        /** Exactly one rule per argument. */
        private ArgumentCondition.Constraint constraint(String at, PolicyDocument.Argument argument) {
            List<ArgumentCondition.Constraint> given = new ArrayList<>();
            if (Boolean.TRUE.equals(argument.payee())) {
                given.add(new ArgumentCondition.Payee());
            }
            if (Boolean.TRUE.equals(argument.wallet())) {
                given.add(new ArgumentCondition.Wallet());
            }
            if (argument.oneOf() != null) {
                Set<Address> addresses = new LinkedHashSet<>();
                for (int i = 0; i < argument.oneOf().size(); i++) {
                    Address address = address(
                            JsonPointers.child(at + "/oneOf", i),
                            argument.oneOf().get(i));
                    if (address != null) {
                        addresses.add(address);
                    }
                }
                if (addresses.isEmpty()) {
                    problems.add(at + "/oneOf", "list at least one address");
                } else {
                    given.add(new ArgumentCondition.OneOf(addresses));
                }
            }
            if (argument.atMost() != null) {
                if (argument.asset() == null) {
                    try {
                        given.add(new ArgumentCondition.AtMost(
                                new BigInteger(argument.atMost().strip())));
                    } catch (NumberFormatException e) {
                        problems.add(at + "/atMost", "without an asset, give whole raw units such as 1000000");
                    }
                } else {
                    Asset asset = asset(at + "/asset", argument.asset());
                    TokenAmount max = asset == null ? null : amount(at + "/atMost", asset, argument.atMost());
                    if (max != null) {
                        given.add(new ArgumentCondition.AtMost(max.units()));
                    }
                }
            }
            if (given.size() != 1) {
                problems.add(at, "give exactly one of payee: true, wallet: true, oneOf or atMost");
                return null;
            }
            return given.getFirst();
        }

        private PolicyDocument.Argument canonicalArgument(PolicyDocument.Argument argument) {
            List<String> oneOf = argument.oneOf() == null
                    ? null
                    : argument.oneOf().stream()
                            .map(text -> {
                                try {
                                    return Address.parse(text).toString();
                                } catch (IllegalArgumentException e) {
                                    return text;
                                }
                            })
                            .toList();
            return new PolicyDocument.Argument(
                    argument.index(), argument.payee(), argument.wallet(), oneOf, argument.atMost(), argument.asset());
        }

        private record FeesChecked(PolicyDocument.Fees document, FeeLimits limits) {}

        /** The fee limits under /fees, each part that is not given at its default. */
        private FeesChecked fees(PolicyDocument.Fees given) {
            PolicyDocument.Fees fees = given == null ? new PolicyDocument.Fees(null, null, null, null) : given;
            Asset coin = assets.nativeAsset();
            long maxGas = fees.maxGasLimit() == null ? DEFAULT_MAX_GAS_LIMIT : fees.maxGasLimit();
            TokenAmount maxFee = amount(
                    "/fees/maxPerTransaction",
                    coin,
                    fees.maxPerTransaction() == null ? DEFAULT_MAX_FEE_PER_TRANSACTION : fees.maxPerTransaction());
            List<WindowBudget> budgets = new ArrayList<>();
            List<PolicyDocument.FeeBudget> budgetDocuments = new ArrayList<>();
            if (fees.budgets() == null) {
                budgets.add(new WindowBudget(TokenAmount.parse(coin, DEFAULT_FEE_BUDGET), DEFAULT_FEE_WINDOW));
            } else {
                Set<BudgetPeriod> periods = new HashSet<>();
                for (int i = 0; i < fees.budgets().size(); i++) {
                    PolicyDocument.FeeBudget budget = fees.budgets().get(i);
                    if (budget == null) {
                        continue;
                    }
                    String at = JsonPointers.child("/fees/budgets", i);
                    TokenAmount limit = amount(at + "/limit", coin, budget.limit());
                    BudgetPeriod period = period(at, budget.window(), budget.period());
                    if (period != null && !periods.add(period)) {
                        problems.add(at, "another fee budget has the same period; one per period");
                    } else if (limit != null && period != null) {
                        budgets.add(new WindowBudget(limit, period));
                    }
                    budgetDocuments.add(
                            new PolicyDocument.FeeBudget(budget.limit(), budget.window(), lower(budget.period())));
                }
            }
            Optional<TransactionCountLimit> reverts = Optional.of(
                    new TransactionCountLimit(DEFAULT_MAX_REVERTS, new BudgetPeriod.Rolling(DEFAULT_REVERT_WINDOW)));
            PolicyDocument.CountLimit revertDocument = null;
            if (fees.reverts() != null) {
                BudgetPeriod period = period(
                        "/fees/reverts", fees.reverts().window(), fees.reverts().period());
                reverts = period == null || fees.reverts().max() == null
                        ? Optional.empty()
                        : Optional.of(new TransactionCountLimit(fees.reverts().max(), period));
                revertDocument = new PolicyDocument.CountLimit(
                        fees.reverts().max(),
                        fees.reverts().window(),
                        lower(fees.reverts().period()));
            }
            PolicyDocument.Fees document = given == null
                    ? null
                    : new PolicyDocument.Fees(
                            fees.maxGasLimit(),
                            fees.maxPerTransaction(),
                            fees.budgets() == null ? null : List.copyOf(budgetDocuments),
                            revertDocument);
            return new FeesChecked(
                    document, new FeeLimits(Optional.of(maxGas), Optional.ofNullable(maxFee), budgets, reverts));
        }

        private record SignaturesChecked(
                PolicyDocument.Signatures signatures, PolicyDocument.X402 x402, SignatureRules rules) {}

        /**
         * The rules for typed-data signatures under /signatures and /x402. Like the fee limits, each
         * section is stored as given (values in normal form) and what it leaves out takes the default
         * when the version judges.
         */
        private SignaturesChecked signatures(PolicyDocument.Signatures given, PolicyDocument.X402 x402) {
            Duration maxValidity = SignatureRules.DEFAULT_MAX_VALIDITY;
            List<SignatureRules.AllowedMessage> messages = new ArrayList<>();
            PolicyDocument.Signatures signaturesDocument = null;
            if (given != null) {
                String validityText = given.maxValidity();
                if (validityText != null) {
                    Duration validity = validity("/signatures/maxValidity", validityText);
                    if (validity != null) {
                        maxValidity = validity;
                        validityText = isoDuration(validity);
                    }
                }
                List<PolicyDocument.Message> messageDocuments = new ArrayList<>();
                Map<SignatureRules.AllowedMessage, Integer> listedAt = new HashMap<>();
                List<PolicyDocument.Message> listed = orEmpty(given.messages());
                for (int i = 0; i < listed.size(); i++) {
                    PolicyDocument.Message message = listed.get(i);
                    if (message == null) {
                        continue;
                    }
                    String at = JsonPointers.child("/signatures/messages", i);
                    SignatureRules.AllowedMessage allowed = message(at, message);
                    if (allowed != null) {
                        Integer earlier = listedAt.putIfAbsent(allowed, i);
                        if (earlier != null) {
                            problems.add(
                                    at,
                                    "the same domain and type as " + JsonPointers.child("/signatures/messages", earlier)
                                            + "; list each once");
                        } else {
                            messages.add(allowed);
                        }
                    }
                    messageDocuments.add(new PolicyDocument.Message(
                            message.domain(),
                            message.version(),
                            message.chainId(),
                            allowed == null
                                    ? message.verifyingContract()
                                    : allowed.verifyingContract()
                                            .map(Address::toString)
                                            .orElse(null),
                            message.primaryType(),
                            message.type()));
                }
                signaturesDocument = new PolicyDocument.Signatures(
                        validityText, given.messages() == null ? null : List.copyOf(messageDocuments));
            }
            X402Checked payments = x402(x402);
            return new SignaturesChecked(
                    signaturesDocument,
                    payments.document(),
                    new SignatureRules(maxValidity, messages, payments.rules()));
        }

        /** One listed message, or null when it has a problem (recorded). */
        private SignatureRules.AllowedMessage message(String at, PolicyDocument.Message message) {
            boolean valid = message.domain() != null
                    && !message.domain().isBlank()
                    && message.primaryType() != null
                    && !message.primaryType().isBlank()
                    && message.type() != null
                    && !message.type().isBlank();
            if (message.domain() != null
                    && !message.domain().isBlank()
                    && !message.domain().equals(message.domain().strip())) {
                problems.add(
                        at + "/domain", "must not begin or end with whitespace: the domain's name is matched exactly");
                valid = false;
            }
            if (message.version() != null
                    && (message.version().isBlank()
                            || !message.version().equals(message.version().strip()))) {
                problems.add(
                        at + "/version",
                        "must not be blank or begin or end with whitespace: the domain's version is matched exactly;"
                                + " leave it out for a domain without one");
                valid = false;
            }
            if (message.primaryType() != null
                    && !message.primaryType().isBlank()
                    && !TYPE_NAME.matcher(message.primaryType()).matches()) {
                problems.add(
                        at + "/primaryType",
                        "must be an EIP-712 type name such as Login: letters, digits, _ and $, not starting with a"
                                + " digit");
                valid = false;
            } else if (message.type() != null && !message.type().isBlank()) {
                try {
                    String primary = Eip712.primaryTypeOf(message.type());
                    if (message.primaryType() != null && !primary.equals(message.primaryType())) {
                        problems.add(
                                at + "/type",
                                "is the encoding of " + primary + ", not of the primaryType " + message.primaryType());
                        valid = false;
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(
                            at + "/type",
                            "must be the type's whole EIP-712 encoding, such as Login(string user,uint256 issuedAt):"
                                    + " " + e.getMessage());
                    valid = false;
                }
            }
            Address contract = address(at + "/verifyingContract", message.verifyingContract());
            if (message.verifyingContract() != null && contract == null) {
                valid = false;
            }
            return valid
                    ? new SignatureRules.AllowedMessage(
                            message.domain(),
                            Optional.ofNullable(message.version()),
                            Optional.ofNullable(message.chainId()).map(BigInteger::valueOf),
                            Optional.ofNullable(contract),
                            message.primaryType(),
                            message.type())
                    : null;
        }

        /** An ISO-8601 duration of whole seconds, positive and at most {@link #LONGEST_SIGNATURE_VALIDITY}. */
        private Duration validity(String at, String text) {
            Duration validity;
            try {
                validity = Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                problems.add(at, "must be an ISO-8601 duration such as PT10M, PT2H or P1D");
                return null;
            }
            if (validity.isNegative() || validity.isZero()) {
                problems.add(at, "must be positive");
                return null;
            }
            if (validity.getNano() != 0) {
                problems.add(at, "must be a whole number of seconds (signatures expire at a block's second)");
                return null;
            }
            if (validity.compareTo(LONGEST_SIGNATURE_VALIDITY) > 0) {
                problems.add(at, "must be at most " + isoDuration(LONGEST_SIGNATURE_VALIDITY) + " (seven days)");
                return null;
            }
            return validity;
        }

        private record X402Checked(PolicyDocument.X402 document, SignatureRules.X402Rules rules) {}

        /** The x402 origins and price ceilings under /x402; none when the section is absent. */
        private X402Checked x402(PolicyDocument.X402 given) {
            if (given == null) {
                return new X402Checked(null, SignatureRules.X402Rules.off());
            }
            List<String> origins = new ArrayList<>();
            List<String> originDocuments = new ArrayList<>();
            Map<String, Integer> originAt = new HashMap<>();
            List<String> listed = orEmpty(given.origins());
            for (int i = 0; i < listed.size(); i++) {
                String text = listed.get(i);
                if (text == null) {
                    continue;
                }
                String at = JsonPointers.child("/x402/origins", i);
                String origin;
                try {
                    origin = X402Origins.normalise(text);
                } catch (IllegalArgumentException e) {
                    problems.add(at, e.getMessage());
                    originDocuments.add(text);
                    continue;
                }
                Integer earlier = originAt.putIfAbsent(origin, i);
                if (earlier != null) {
                    problems.add(
                            at,
                            "is the same origin (" + origin + ") as " + JsonPointers.child("/x402/origins", earlier));
                } else {
                    origins.add(origin);
                }
                originDocuments.add(origin);
            }
            Map<Asset, TokenAmount> maxPerRequest = new LinkedHashMap<>();
            Map<String, String> maxDocuments = new TreeMap<>();
            for (Map.Entry<String, String> entry :
                    orEmpty(given.maxPerRequest()).entrySet()) {
                if (entry.getValue() == null) {
                    continue;
                }
                String at = JsonPointers.child("/x402/maxPerRequest", entry.getKey());
                Asset asset = asset(at, entry.getKey());
                TokenAmount max = asset == null ? null : amount(at, asset, entry.getValue());
                if (max != null && max.units().signum() == 0) {
                    problems.add(at, "must be more than zero; leave the asset out to pay nothing in it");
                } else if (max != null) {
                    maxPerRequest.put(asset, max);
                }
                maxDocuments.put(entry.getKey(), entry.getValue());
            }
            PolicyDocument.X402 document = new PolicyDocument.X402(
                    given.origins() == null ? null : List.copyOf(originDocuments),
                    given.maxPerRequest() == null ? null : Collections.unmodifiableMap(maxDocuments));
            return new X402Checked(document, new SignatureRules.X402Rules(origins, maxPerRequest));
        }

        /** Budgets (the agent's own, or one counterparty's caps) under {@code at}; one per asset and period. */
        private List<WindowBudget> budgets(
                String at, List<PolicyDocument.Budget> documents, List<PolicyDocument.Budget> canonical) {
            List<WindowBudget> budgets = new ArrayList<>();
            Map<WindowBudgetKey, Integer> seen = new HashMap<>();
            for (int i = 0; i < documents.size(); i++) {
                PolicyDocument.Budget budget = documents.get(i);
                if (budget == null) {
                    continue;
                }
                String here = JsonPointers.child(at, i);
                Asset asset = asset(here + "/asset", budget.asset());
                TokenAmount limit = asset == null ? null : amount(here + "/limit", asset, budget.limit());
                BudgetPeriod period = period(here, budget.window(), budget.period());
                if (asset != null && period != null) {
                    Integer earlier = seen.putIfAbsent(new WindowBudgetKey(asset, period), i);
                    if (earlier != null) {
                        problems.add(
                                here,
                                "the same asset and period as " + JsonPointers.child(at, earlier)
                                        + "; one budget per asset and period");
                    } else if (limit != null) {
                        budgets.add(new WindowBudget(limit, period));
                    }
                }
                canonical.add(new PolicyDocument.Budget(
                        budget.asset(), budget.limit(), budget.window(), lower(budget.period())));
            }
            return budgets;
        }

        private record WindowBudgetKey(Asset asset, BudgetPeriod period) {}

        /** Exactly one of a rolling window or a calendar period in the document's zone. */
        private BudgetPeriod period(String at, String window, String period) {
            if ((window == null) == (period == null)) {
                problems.add(at, WINDOW_OR_PERIOD);
                return null;
            }
            if (window != null) {
                Duration length = duration(at + "/window", window, SHORTEST_WINDOW, LONGEST_WINDOW);
                return length == null ? null : new BudgetPeriod.Rolling(length);
            }
            BudgetPeriod.Calendar.Unit unit;
            try {
                unit = BudgetPeriod.Calendar.Unit.valueOf(period.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(at + "/period", "must be day, week or month");
                return null;
            }
            // With an unknown zone the problem is reported at /timeZone once, not at every period.
            return zone == null ? null : new BudgetPeriod.Calendar(unit, zone);
        }

        private Duration duration(String at, String text, Duration shortest, Duration longest) {
            Matcher matcher = DURATION.matcher(text.strip());
            if (!matcher.matches()) {
                problems.add(at, "must be a duration such as 30m, 24h or 7d (minutes, hours or days)");
                return null;
            }
            long count = Long.parseLong(matcher.group(1));
            Duration duration = switch (matcher.group(2)) {
                case "m" -> Duration.ofMinutes(count);
                case "h" -> Duration.ofHours(count);
                default -> Duration.ofDays(count);
            };
            if (duration.compareTo(shortest) < 0 || duration.compareTo(longest) > 0) {
                problems.add(at, "must be between " + durationText(shortest) + " and " + durationText(longest));
                return null;
            }
            return duration;
        }

        private Asset asset(String at, String symbol) {
            if (symbol == null || symbol.isBlank()) {
                return null;
            }
            Optional<Asset> asset = assets.bySymbol(symbol);
            if (asset.isEmpty()) {
                problems.add(at, "unknown asset '" + symbol + "'; known: " + knownSymbols());
                return null;
            }
            return asset.get();
        }

        private TokenAmount amount(String at, Asset asset, String text) {
            if (text == null) {
                return null;
            }
            if (text.strip().startsWith("-")) {
                problems.add(at, "must not be negative");
                return null;
            }
            try {
                return TokenAmount.parse(asset, text);
            } catch (IllegalArgumentException | ArithmeticException e) {
                problems.add(at, e.getMessage());
                return null;
            }
        }

        private Address address(String at, String text) {
            if (text == null) {
                return null;
            }
            try {
                return Address.parse(text);
            } catch (IllegalArgumentException e) {
                problems.add(at, e.getMessage());
                return null;
            }
        }

        private Instant instant(String at, String text) {
            if (text == null) {
                return null;
            }
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                problems.add(at, "must be an ISO-8601 instant such as 2027-01-01T00:00:00Z");
                return null;
            }
        }

        private String knownSymbols() {
            Set<String> symbols = new LinkedHashSet<>();
            symbols.add(assets.nativeAsset().symbol());
            assets.tokens().stream().map(Asset::symbol).sorted().forEach(symbols::add);
            return symbols.stream().collect(Collectors.joining(", "));
        }
    }

    private static String lower(String text) {
        return text == null ? null : text.strip().toLowerCase(Locale.ROOT);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : new TreeMap<>(map);
    }
}
