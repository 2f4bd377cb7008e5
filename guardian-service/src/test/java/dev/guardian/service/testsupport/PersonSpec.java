package dev.guardian.service.testsupport;

import dev.guardian.service.identity.ApiKeys;
import dev.guardian.service.identity.Role;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A person (approver, auditor, admin) for a test Guardian, configured as an operator would: a hashed token and roles. */
public final class PersonSpec {
    private final String id;
    private final String token = ApiKeys.generate();
    private final List<Role> roles;

    private PersonSpec(String id, List<Role> roles) {
        this.id = id;
        this.roles = roles;
    }

    public static PersonSpec person(String id, Role... roles) {
        return new PersonSpec(id, List.of(roles));
    }

    public String id() {
        return id;
    }

    public String token() {
        return token;
    }

    Map<String, String> properties(int index) {
        String p = "guardian.people[" + index + "].";
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(p + "id", id);
        properties.put(p + "api-key-sha256", HexFormat.of().formatHex(ApiKeys.sha256(token)));
        properties.put(p + "roles", roles.stream().map(Role::name).collect(Collectors.joining(",")));
        return properties;
    }
}
