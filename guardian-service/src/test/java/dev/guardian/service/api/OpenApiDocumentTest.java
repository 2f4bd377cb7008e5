package dev.guardian.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.decision.RuleId;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI file in docs/ lists exactly the operations every controller serves: no more, no fewer. */
class OpenApiDocumentTest {

    @Test
    void documentMatchesTheControllers() throws IOException {
        assertThat(documented()).isEqualTo(served());
    }

    @Test
    void documentNamesEveryRuleIdTheEngineCanProduce() throws IOException {
        String document = Files.readString(openApiFile());
        for (RuleId rule : RuleId.values()) {
            assertThat(document)
                    .as("rule id %s in docs/openapi.yaml", rule.id())
                    .contains(rule.id());
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> documented() throws IOException {
        Map<String, Object> document = new Yaml().load(Files.readString(openApiFile()));
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        Set<String> operations = new TreeSet<>();
        paths.forEach((path, methods) ->
                methods.keySet().forEach(method -> operations.add(method.toUpperCase() + " " + path)));
        return operations;
    }

    /** Every operation of every {@code @RestController} in the service, as "METHOD /path". */
    static Set<String> served() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(RestController.class));
        Set<String> operations = new TreeSet<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("dev.guardian.service")) {
            Class<?> controller = ClassUtils.resolveClassName(
                    candidate.getBeanClassName(), OpenApiDocumentTest.class.getClassLoader());
            RequestMapping onType = AnnotatedElementUtils.findMergedAnnotation(controller, RequestMapping.class);
            String prefix = onType == null || onType.path().length == 0 ? "" : onType.path()[0];
            for (Method method : controller.getDeclaredMethods()) {
                RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(method, RequestMapping.class);
                if (mapping == null) {
                    continue;
                }
                String[] paths = mapping.path().length == 0 ? new String[] {""} : mapping.path();
                for (RequestMethod verb : mapping.method()) {
                    for (String path : paths) {
                        operations.add(verb.name() + " " + prefix + path);
                    }
                }
            }
        }
        assertThat(operations).as("operations found by scanning").isNotEmpty();
        return operations;
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
