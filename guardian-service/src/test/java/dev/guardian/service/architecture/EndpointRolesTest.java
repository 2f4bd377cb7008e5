package dev.guardian.service.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.guardian.service.api.RequiresRole;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Every endpoint declares which roles it admits; one added without a rule fails this test (and admits nobody). */
class EndpointRolesTest {

    @Test
    void everyEndpointDeclaresItsRoles() {
        List<String> undeclared = new ArrayList<>();
        int endpoints = 0;
        for (JavaClass controller : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.guardian.service")) {
            if (!controller.isAnnotatedWith(RestController.class)) {
                continue;
            }
            for (JavaMethod method : controller.getMethods()) {
                if (isEndpoint(method)) {
                    endpoints++;
                    if (!method.isAnnotatedWith(RequiresRole.class)
                            && !controller.isAnnotatedWith(RequiresRole.class)) {
                        undeclared.add(controller.getSimpleName() + "." + method.getName());
                    }
                }
            }
        }
        assertThat(endpoints).isPositive();
        assertThat(undeclared).as("endpoints without @RequiresRole").isEmpty();
    }

    private static boolean isEndpoint(JavaMethod method) {
        return method.isAnnotatedWith(GetMapping.class)
                || method.isAnnotatedWith(PostMapping.class)
                || method.isAnnotatedWith(PutMapping.class)
                || method.isAnnotatedWith(PatchMapping.class)
                || method.isAnnotatedWith(DeleteMapping.class)
                || method.isAnnotatedWith(RequestMapping.class);
    }
}
