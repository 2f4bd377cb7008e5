package dev.guardian.service.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.service.api.ProblemTypes;
import dev.guardian.service.api.RequiresRole;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.AnvilOptions;
import dev.guardian.service.devchain.AnvilProcess;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.web3j.protocol.Web3j;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/authorization.md is the reviewed authorisation matrix: one row per {@code /v1} endpoint, one
 * column per role. This test holds a real Guardian to it both ways. The table must list exactly the
 * endpoints the running application serves, each with exactly the roles its {@link RequiresRole}
 * declares; and over real HTTP, every endpoint answers a token of a role marked {@code -} with 403, lets
 * a token of a role marked {@code yes} past authorisation, and answers a call without a token with 401.
 *
 * <p>When an endpoint is added or its roles change, the failure message carries the table as the code
 * now declares it (so does {@link #main}); review it, then paste it into the document.
 */
class AuthorizationMatrixTest {
    static final String DOCUMENT = "docs/authorization.md";
    private static final String API_PREFIX = "/v1/";
    /** The columns in the order the document shows them (the enum's order). */
    private static final List<Role> COLUMNS = List.of(Role.values());

    private static final String ADMITTED = "yes";
    private static final String REFUSED = "-";
    private static final Pattern ROW =
            Pattern.compile("^\\|\\s*`(GET|POST|PUT|PATCH|DELETE) (/\\S*)`\\s*\\|(.*)\\|\\s*$");
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}/]+)}");
    /**
     * What a path variable becomes in a probe: a well-formed value that names nothing, so an admitted
     * caller gets past authorisation and then a 404 (or a 400) without changing anything. A UUID is
     * also a valid agent, team, wallet or person id.
     */
    private static final String PLACEHOLDER_ID = "0f0e0d0c-0b0a-4908-8706-050403020100";

    private static final String PLACEHOLDER_NUMBER = "999999";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    /** One person per role that people hold, each with that role alone, and one agent. */
    private static final Map<Role, PersonSpec> PEOPLE = new EnumMap<>(Map.of(
            Role.ADMIN, PersonSpec.person("matrix-admin", Role.ADMIN),
            Role.TREASURY, PersonSpec.person("matrix-treasury", Role.TREASURY),
            Role.APPROVER, PersonSpec.person("matrix-approver", Role.APPROVER),
            Role.AUDITOR, PersonSpec.person("matrix-auditor", Role.AUDITOR)));

    private static final AgentSpec AGENT = AgentSpec.agent("matrix-agent");

    private static GuardianInstance guardian;

    @BeforeAll
    static void start() {
        Address usdc = CHAIN.devChain().deployTestUsdc();
        GuardianInstance.Builder builder =
                GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc).agent(AGENT);
        PEOPLE.values().forEach(builder::person);
        guardian = builder.start();
    }

    @AfterAll
    static void stop() {
        if (guardian != null) {
            guardian.close();
        }
    }

    @Test
    void everyEndpointTheApplicationServesIsInTheMatrix() {
        Set<Endpoint> undocumented = new TreeSet<>(declared(guardian).keySet());
        undocumented.removeAll(documented().keySet());

        assertThat(undocumented)
                .as(
                        "endpoints missing from %s; the table as the code declares it:%n%s",
                        DOCUMENT, render(declared(guardian)))
                .isEmpty();
    }

    @Test
    void everyEndpointInTheMatrixIsServedByTheApplication() {
        Set<Endpoint> stale = new TreeSet<>(documented().keySet());
        stale.removeAll(declared(guardian).keySet());

        assertThat(stale)
                .as(
                        "endpoints in %s that the application does not serve; the table as the code declares it:%n%s",
                        DOCUMENT, render(declared(guardian)))
                .isEmpty();
    }

    @Test
    void theMatrixAdmitsExactlyTheRolesEachEndpointDeclares() {
        Map<Endpoint, Set<Role>> declared = declared(guardian);
        Map<Endpoint, String> differences = new TreeMap<>();
        documented().forEach((endpoint, documentedRoles) -> {
            Set<Role> declaredRoles = declared.get(endpoint);
            if (declaredRoles != null && !declaredRoles.equals(documentedRoles)) {
                differences.put(
                        endpoint,
                        "the document says " + names(documentedRoles) + ", @RequiresRole says " + names(declaredRoles));
            }
        });

        assertThat(differences)
                .as(
                        "rows of %s that differ from the code; the table as the code declares it:%n%s",
                        DOCUMENT, render(declared))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedEndpoints")
    void refusesTheRolesTheMatrixExcludesAndLetsTheOthersPast(Endpoint endpoint, Set<Role> admitted) {
        SoftAssertions softly = new SoftAssertions();
        for (Role role : COLUMNS) {
            Answer answer = call(endpoint, Optional.of(tokenOf(role)));
            if (admitted.contains(role)) {
                softly.assertThat(answer.status())
                        .as("%s as %s (admitted): %s", endpoint, name(role), answer.body())
                        .isNotIn(401, 403);
            } else {
                softly.assertThat(answer.status())
                        .as("%s as %s (not admitted): %s", endpoint, name(role), answer.body())
                        .isEqualTo(403);
                softly.assertThat(answer.contentType())
                        .as("%s as %s: content type", endpoint, name(role))
                        .startsWith("application/problem+json");
                softly.assertThat(answer.problemType())
                        .as("%s as %s: problem type", endpoint, name(role))
                        .isEqualTo(ProblemTypes.FORBIDDEN.toString());
            }
        }
        softly.assertAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedEndpoints")
    void refusesACallWithoutATokenAsUnauthenticated(Endpoint endpoint, Set<Role> admitted) {
        Answer answer = call(endpoint, Optional.empty());

        assertThat(answer.status())
                .as("%s without a token: %s", endpoint, answer.body())
                .isEqualTo(401);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.problemType()).isEqualTo(ProblemTypes.UNAUTHENTICATED.toString());
    }

    static Stream<Arguments> documentedEndpoints() {
        return documented().entrySet().stream().map(row -> Arguments.of(row.getKey(), row.getValue()));
    }

    /**
     * Prints the matrix as the code declares it, to refresh docs/authorization.md after review. It starts
     * a throw-away Anvil and Guardian, because the table is read from the running application's handler
     * mappings, exactly as the test reads it.
     */
    public static void main(String[] args) {
        try (AnvilProcess anvil = AnvilProcess.start(AnvilOptions.defaults())) {
            Web3j web3j = ChainAdapter.connect(anvil.rpcUrl(), Duration.ofSeconds(10));
            try (GuardianInstance instance = GuardianInstance.builder(
                            anvil.rpcUrl(), DevChain.attach(web3j).deployTestUsdc())
                    .start()) {
                System.out.println(render(declared(instance)));
            } finally {
                web3j.shutdown();
            }
        }
    }

    /** An endpoint as the matrix names it: {@code POST /v1/agents/{agentId}/freeze}. */
    record Endpoint(String method, String path) implements Comparable<Endpoint> {
        private static final Comparator<Endpoint> ORDER =
                Comparator.comparing(Endpoint::path).thenComparing(Endpoint::method);

        @Override
        public int compareTo(Endpoint other) {
            return ORDER.compare(this, other);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /**
     * Every {@code /v1} handler of the running application with the roles it admits, read the way
     * AgentAuthentication reads them (the method's {@link RequiresRole}, else its controller's). Should the
     * two readings ever part, the probes over HTTP, which go through the real interceptor, fail.
     */
    static Map<Endpoint, Set<Role>> declared(GuardianInstance instance) {
        Map<Endpoint, Set<Role>> declared = new TreeMap<>();
        // By name: Actuator registers a second RequestMappingHandlerMapping (for its controller endpoints).
        RequestMappingHandlerMapping mapping = instance.bean(DispatcherServlet.class)
                .getWebApplicationContext()
                .getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        mapping.getHandlerMethods().forEach((info, handler) -> {
            for (String path : paths(info)) {
                if (!path.startsWith(API_PREFIX)) {
                    continue;
                }
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                assertThat(methods)
                        .as("%s of %s declares no HTTP method, so it answers every one", path, handler)
                        .isNotEmpty();
                for (RequestMethod method : methods) {
                    Set<Role> previous = declared.put(new Endpoint(method.name(), path), admittedRoles(handler));
                    assertThat(previous)
                            .as("%s %s is mapped twice", method, path)
                            .isNull();
                }
            }
        });
        assertThat(declared).as("handlers under %s", API_PREFIX).isNotEmpty();
        return declared;
    }

    private static Set<String> paths(RequestMappingInfo info) {
        return info.getPathPatternsCondition() != null
                ? info.getPathPatternsCondition().getPatternValues()
                : info.getPatternValues();
    }

    private static Set<Role> admittedRoles(HandlerMethod handler) {
        RequiresRole onMethod = handler.getMethodAnnotation(RequiresRole.class);
        RequiresRole declared =
                onMethod != null ? onMethod : handler.getBeanType().getAnnotation(RequiresRole.class);
        return declared == null ? Set.of() : toSet(Arrays.asList(declared.value()));
    }

    /** The table of docs/authorization.md: every row, checked for form (known roles, cells {@code yes} or {@code -}, no duplicates). */
    static Map<Endpoint, Set<Role>> documented() {
        List<String> lines = readDocument();
        List<Role> columns = null;
        Map<Endpoint, Set<Role>> rows = new TreeMap<>();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).strip();
            if (columns == null && line.matches("^\\|\\s*Endpoint\\s*\\|.*")) {
                columns = header(line, number);
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (!row.matches()) {
                continue;
            }
            if (columns == null) {
                throw new AssertionError(DOCUMENT + ":" + number + ": an endpoint row before the table's header row");
            }
            List<String> cells = cells(row.group(3));
            if (cells.size() != columns.size()) {
                throw new AssertionError(
                        DOCUMENT + ":" + number + ": " + cells.size() + " cells, the header has " + columns.size());
            }
            Set<Role> admitted = EnumSet.noneOf(Role.class);
            for (int i = 0; i < cells.size(); i++) {
                switch (cells.get(i)) {
                    case ADMITTED -> admitted.add(columns.get(i));
                    case REFUSED -> {}
                    default ->
                        throw new AssertionError(DOCUMENT + ":" + number + ": cell '" + cells.get(i) + "' under "
                                + name(columns.get(i)) + " must be '" + ADMITTED + "' or '" + REFUSED + "'");
                }
            }
            Endpoint endpoint = new Endpoint(row.group(1), row.group(2));
            if (rows.put(endpoint, toSet(admitted)) != null) {
                throw new AssertionError(DOCUMENT + ":" + number + ": " + endpoint + " is listed twice");
            }
        }
        if (rows.isEmpty()) {
            throw new AssertionError(DOCUMENT + " has no matrix rows (| `METHOD /v1/...` | yes | - | ... |)");
        }
        return rows;
    }

    private static List<Role> header(String line, int number) {
        List<String> cells = cells(line.substring(line.indexOf('|', 1) + 1, line.lastIndexOf('|')));
        List<Role> columns = new ArrayList<>();
        for (String cell : cells) {
            try {
                columns.add(Role.valueOf(cell.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new AssertionError(DOCUMENT + ":" + number + ": header column '" + cell + "' is not a role", e);
            }
        }
        if (columns.size() != COLUMNS.size() || !toSet(columns).equals(toSet(COLUMNS))) {
            throw new AssertionError(
                    DOCUMENT + ":" + number + ": the header must name every role once: " + names(toSet(COLUMNS)));
        }
        return columns;
    }

    private static List<String> cells(String inner) {
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }

    private static List<String> readDocument() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DOCUMENT);
            if (Files.isRegularFile(candidate)) {
                try {
                    return Files.readAllLines(candidate);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new AssertionError(
                DOCUMENT + " not found in " + Path.of("").toAbsolutePath() + " or any folder above it");
    }

    /** The matrix as the document writes it, one row per endpoint in path order. */
    static String render(Map<Endpoint, Set<Role>> matrix) {
        StringBuilder table = new StringBuilder("| Endpoint |");
        COLUMNS.forEach(role -> table.append(' ').append(name(role)).append(" |"));
        table.append("\n|---|");
        COLUMNS.forEach(role -> table.append(":-:|"));
        matrix.forEach((endpoint, admitted) -> {
            table.append("\n| `").append(endpoint).append("` |");
            COLUMNS.forEach(role -> table.append(' ')
                    .append(admitted.contains(role) ? ADMITTED : REFUSED)
                    .append(" |"));
        });
        return table.append('\n').toString();
    }

    private String tokenOf(Role role) {
        return role == Role.AGENT ? AGENT.apiKey() : PEOPLE.get(role).token();
    }

    /** One call as a client would make it: JSON body {@code {}} where a body can go, placeholders for path variables. */
    private static Answer call(Endpoint endpoint, Optional<String> token) {
        URI uri = guardian.baseUrl().resolve(withPlaceholders(endpoint.path()));
        boolean hasBody = !endpoint.method().equals("GET") && !endpoint.method().equals("DELETE");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(
                        endpoint.method(),
                        hasBody ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (hasBody) {
            request.header("Content-Type", "application/json");
        }
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String withPlaceholders(String path) {
        return PATH_VARIABLE
                .matcher(path)
                .replaceAll(
                        variable -> variable.group(1).toLowerCase(Locale.ROOT).contains("version")
                                ? PLACEHOLDER_NUMBER
                                : PLACEHOLDER_ID);
    }

    private record Answer(int status, String contentType, String body) {
        String problemType() {
            if (!contentType.startsWith("application/problem+json")) {
                return null;
            }
            JsonNode type = JSON.readTree(body).get("type");
            return type == null ? null : type.asString();
        }
    }

    private static Set<Role> toSet(Collection<Role> roles) {
        return roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    private static String name(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    private static String names(Set<Role> roles) {
        return roles.isEmpty()
                ? "nobody"
                : roles.stream().sorted().map(AuthorizationMatrixTest::name).collect(Collectors.joining(", "));
    }
}
