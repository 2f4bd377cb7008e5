package dev.guardian.service.config;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The two database users Guardian needs: the schema owner, who runs the migrations, and a login role
 * in the group {@value #APPLICATION_GROUP}, which the application runs as and which may only read and
 * insert the audit log (the migrations grant the group its rights). For an external database the
 * operator creates the login role (docs/operations.md); the embedded database and the tests create one
 * here, with a random password.
 */
public final class DatabaseRoles {
    public static final String APPLICATION_GROUP = "guardian_app";
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DatabaseRoles() {}

    /** A login role's name and password. The password never shows in {@link #toString()}. */
    public record Login(String user, String password) {
        public Login {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Login[user=" + user + ", password=redacted]";
        }
    }

    /**
     * Creates the application group (if missing) and a new login role in it with a random password,
     * connected through {@code owner}, a role allowed to create roles.
     */
    public static Login createApplicationLogin(DataSource owner, String user) {
        if (!ROLE_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("a role name is lower case letters, digits and _; got " + user);
        }
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        // Base64url holds no quote, so the literal below cannot be broken out of; CREATE ROLE takes no parameters.
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try (Connection connection = owner.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("do $$ begin if not exists (select 1 from pg_roles where rolname = '" + APPLICATION_GROUP
                    + "') then create role " + APPLICATION_GROUP + " nologin; end if; end $$");
            statement.execute("create role " + user + " login nosuperuser nocreatedb nocreaterole password '" + password
                    + "' in role " + APPLICATION_GROUP);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not create the application's database role " + user + ": " + e.getMessage(), e);
        }
        return new Login(user, password);
    }
}
