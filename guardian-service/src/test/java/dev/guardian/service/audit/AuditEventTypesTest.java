package dev.guardian.service.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.guardian.service.requests.ReasonView;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every audit event type of the service, found in its classes: a named record, a name used by no other
 * type, and the fields the auditor's search relies on where its interfaces promise them. Renaming a
 * component that the search reads fails here, not silently in an auditor's query.
 */
class AuditEventTypesTest {
    private static final List<Class<?>> EVENT_TYPES = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.guardian.service")
                    .stream()
                    .filter(c -> c.isAssignableTo(AuditEvent.class) && !c.isInterface())
                    .map(JavaClass::reflect)
                    .toList();

    @Test
    void everyEventIsANamedRecordWithANameOfItsOwn() {
        assertThat(EVENT_TYPES).hasSizeGreaterThan(40);
        Map<String, Class<?>> byName = new HashMap<>();
        for (Class<?> type : EVENT_TYPES) {
            assertThat(type.isRecord()).as("%s is a record", type.getName()).isTrue();
            @SuppressWarnings("unchecked")
            String name = AuditPayloads.nameOf((Class<? extends AuditEvent>) type);
            Class<?> other = byName.put(name, type);
            assertThat(other)
                    .as("event name %s of %s is also the name of %s", name, type, other)
                    .isNull();
        }
    }

    @Test
    void theFieldsTheSearchReadsAreWhereTheEventsPromiseThem() {
        for (Class<?> type : EVENT_TYPES) {
            Set<String> components = components(type);
            if (AuditEvent.AboutAgent.class.isAssignableFrom(type)) {
                assertThat(components).as(type.getName()).contains(AuditEvent.AboutAgent.FIELD);
            }
            if (AuditEvent.AboutWallet.class.isAssignableFrom(type)) {
                assertThat(components).as(type.getName()).contains(AuditEvent.AboutWallet.FIELD);
            }
            if (AuditEvent.AboutTransaction.class.isAssignableFrom(type)) {
                assertThat(components).as(type.getName()).contains(AuditEvent.AboutTransaction.FIELD);
            }
            if (AuditEvent.Judgement.class.isAssignableFrom(type)) {
                assertThat(components)
                        .as(type.getName())
                        .contains(AuditEvent.Judgement.VERDICT, AuditEvent.Judgement.REASONS);
                @SuppressWarnings("unchecked")
                String name = AuditPayloads.nameOf((Class<? extends AuditEvent>) type);
                assertThat(name).isEqualTo(AuditEvent.Judgement.EVENT);
            }
        }
        assertThat(components(ReasonView.class)).contains(AuditEvent.Judgement.RULE_ID);
    }

    @Test
    void theDecisionIsTheOnlyJudgement() {
        assertThat(EVENT_TYPES.stream().filter(AuditEvent.Judgement.class::isAssignableFrom))
                .hasSize(1);
    }

    private static Set<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents())
                .map(RecordComponent::getName)
                .collect(Collectors.toSet());
    }
}
