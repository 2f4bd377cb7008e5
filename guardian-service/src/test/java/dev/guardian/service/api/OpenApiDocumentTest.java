package dev.guardian.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI file in docs/ lists exactly the operations the controllers serve: no more, no fewer. */
class OpenApiDocumentTest {

    @Test
    void documentMatchesTheControllers() throws IOException {
        assertThat(documented()).isEqualTo(served());
    }

    @Test
    void documentNamesEveryRuleIdTheEngineCanProduce() throws IOException {
        String document = Files.readString(openApiFile());
        for (dev.guardian.policy.decision.RuleId rule : dev.guardian.policy.decision.RuleId.values()) {
            assertThat(document).as("rule id %s in docs/openapi.yaml", rule.id()).contains(rule.id());
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> documented() throws IOException {
        Map<String, Object> document = new Yaml().load(Files.readString(openApiFile()));
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        Set<String> operations = new TreeSet<>();
        paths.forEach((path, methods) -> methods.keySet().forEach(method -> operations.add(method.toUpperCase() + " " + path)));
        return operations;
    }

    private static Set<String> served() {
        Set<String> operations = new TreeSet<>();
        Class<?> controller = AgentController.class;
        String prefix = controller.getAnnotation(RequestMapping.class).path()[0];
        for (Method method : controller.getDeclaredMethods()) {
            GetMapping get = method.getAnnotation(GetMapping.class);
            PostMapping post = method.getAnnotation(PostMapping.class);
            if (get != null) {
                operations.add("GET " + prefix + first(get.value(), get.path()));
            }
            if (post != null) {
                operations.add("POST " + prefix + first(post.value(), post.path()));
            }
        }
        return operations;
    }

    private static String first(String[] values, String[] paths) {
        return values.length > 0 ? values[0] : paths[0];
    }

    static Path openApiFile() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/openapi.yaml");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/openapi.yaml not found above " + here);
    }
}
