package dev.guardian.service.audit;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.WalletId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one place that turns an {@link AuditEvent} into the JSON-shaped payload of its record: each
 * component of the event's record by its name, nested records as objects, an empty {@link Optional}
 * or a null left out. Values have one spelling each: addresses checksummed, hashes and bytes as
 * {@code 0x} hex, ids as their text, big integers and decimals as strings (JSON numbers lose them),
 * instants and durations in ISO-8601, enums by name. Anything else is refused, so a payload never
 * holds something a reader cannot rebuild.
 */
public final class AuditPayloads {
    private static final Pattern EVENT_NAME = Pattern.compile("[a-z0-9]+([.-][a-z0-9]+)*");
    private static final ClassValue<String> NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            AuditEvent.Name name = type.getAnnotation(AuditEvent.Name.class);
            if (name == null || !type.isRecord()) {
                throw new IllegalArgumentException(
                        type.getName() + " is not an audit event type: a record annotated with @AuditEvent.Name");
            }
            if (!EVENT_NAME.matcher(name.value()).matches()) {
                throw new IllegalArgumentException("audit event name '" + name.value() + "' of " + type.getName()
                        + " is not lower case words joined by dots or dashes");
            }
            return name.value();
        }
    };

    /** Each record type's components, read once: names and accessors (opened, for package-private event types). */
    private static final ClassValue<List<Component>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
            List<Component> components = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                Method accessor = component.getAccessor();
                accessor.setAccessible(true);
                components.add(new Component(component.getName(), accessor));
            }
            return List.copyOf(components);
        }
    };

    private record Component(String name, Method accessor) {}

    private AuditPayloads() {}

    /** The name the records of {@code type} carry in their {@code event} member. */
    public static String nameOf(Class<? extends AuditEvent> type) {
        return NAMES.get(type);
    }

    public static String nameOf(AuditEvent event) {
        return NAMES.get(event.getClass());
    }

    /** The event's payload, as its record stores it. */
    public static Map<String, Object> payloadOf(AuditEvent event) {
        nameOf(event); // an event type is a named record; refuse anything else before reading it
        return components((Record) event);
    }

    private static Map<String, Object> components(Record record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Component component : COMPONENTS.get(record.getClass())) {
            Object value;
            try {
                value = component.accessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(
                        "cannot read " + component.name() + " of "
                                + record.getClass().getName(),
                        e);
            }
            Object plain = plain(value);
            if (plain != null) {
                fields.put(component.name(), plain);
            }
        }
        return fields;
    }

    static Object plain(Object value) {
        return switch (value) {
            case null -> null;
            case Optional<?> optional -> optional.map(AuditPayloads::plain).orElse(null);
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case BigInteger big -> big.toString();
            case BigDecimal decimal -> decimal.toPlainString();
            case Enum<?> constant -> constant.name();
            case Address address -> address.toString();
            case TxHash hash -> hash.toString();
            case AgentId id -> id.value();
            case WalletId id -> id.value();
            case ChainId id -> id.value();
            case UUID uuid -> uuid.toString();
            case Instant instant -> instant.toString();
            case Duration duration -> duration.toString();
            case byte[] bytes -> Hex.encode(bytes);
            case Record nested -> components(nested);
            case Map<?, ?> map -> {
                Map<String, Object> plainMap = new LinkedHashMap<>();
                map.forEach((key, entry) -> {
                    Object plainEntry = plain(entry);
                    if (plainEntry != null) {
                        plainMap.put(String.valueOf(plain(key)), plainEntry);
                    }
                });
                yield plainMap;
            }
            case Collection<?> items -> {
                List<Object> list = new ArrayList<>(items.size());
                items.forEach(item -> list.add(plain(item)));
                yield list;
            }
            default ->
                throw new IllegalArgumentException("an audit payload cannot hold a "
                        + value.getClass().getName() + "; give the event a component of a recordable type");
        };
    }
}
