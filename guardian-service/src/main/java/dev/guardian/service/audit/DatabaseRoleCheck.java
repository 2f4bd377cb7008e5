package dev.guardian.service.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Says at start whether the database role Guardian runs as could rewrite the audit log. The trigger
 * refuses updates and deletes from anyone, but only a role without those privileges makes the
 * append-only guarantee independent of the trigger (docs/operations.md: two database users).
 */
final class DatabaseRoleCheck {
    private static final Logger log = LoggerFactory.getLogger(DatabaseRoleCheck.class);

    private DatabaseRoleCheck() {}

    /** Returns true when the role can only read and insert the audit log. */
    static boolean appendOnly(JdbcClient jdbc) {
        record Rights(String role, boolean superuser, boolean update, boolean delete, boolean truncate) {}
        Rights rights = jdbc.sql("""
                        select current_user as role, (select rolsuper from pg_roles where rolname = current_user) as superuser,
                               has_table_privilege('audit_log', 'UPDATE') as can_update,
                               has_table_privilege('audit_log', 'DELETE') as can_delete,
                               has_table_privilege('audit_log', 'TRUNCATE') as can_truncate
                        """)
                .query((rs, n) -> new Rights(
                        rs.getString("role"),
                        rs.getBoolean("superuser"),
                        rs.getBoolean("can_update"),
                        rs.getBoolean("can_delete"),
                        rs.getBoolean("can_truncate")))
                .single();
        boolean appendOnly = !rights.superuser() && !rights.update() && !rights.delete() && !rights.truncate();
        if (appendOnly) {
            log.info("audit log: the database role {} may only read and insert it", rights.role());
        } else {
            log.warn(
                    "audit log: the database role {} could UPDATE, DELETE or TRUNCATE audit_log{}; a trigger still refuses it,"
                            + " but run Guardian as a role without those rights (spring.datasource.username) and migrate as the owner"
                            + " (spring.flyway.user): see docs/operations.md",
                    rights.role(),
                    rights.superuser() ? " (it is a superuser)" : "");
        }
        return appendOnly;
    }
}
