package dev.guardian.service.audit;

import dev.guardian.signer.KeyVault;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the audit log: its key, the log itself, the auditor's queries and export, and the checkpoint schedule. */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    /**
     * The audit log and its key. When the key-encryption key is being rotated ({@link KeyResealing}), the
     * stored keys are re-sealed first, in the same transaction that then loads the audit key and records
     * the re-sealing: nothing opens a key before it is sealed under the current key-encryption key, and a
     * start that fails half-way leaves the keys as they were.
     */
    @Bean
    @DependsOnDatabaseInitialization
    AuditLog auditLog(
            DataSource dataSource,
            JdbcClient jdbc,
            TransactionTemplate transactions,
            KeyVault vault,
            Clock clock,
            AuditProperties properties,
            ObjectProvider<KeyResealing> resealing) {
        return transactions.execute(tx -> {
            List<AuditEvent> resealed = resealing
                    .orderedStream()
                    .flatMap(r -> r.resealAll().stream())
                    .toList();
            AuditKeys keys = AuditKeys.loadOrCreate(jdbc, transactions, vault, clock);
            AuditLog log = new AuditLog(dataSource, transactions, clock, keys, properties.checkpointEveryRecords());
            resealed.forEach(event -> log.append(event, Actor.CONFIGURATION));
            return log;
        });
    }

    @Bean
    AuditKeys auditKeys(AuditLog log) {
        return log.keys();
    }

    @Bean
    AuditQueries auditQueries(JdbcClient jdbc) {
        return new AuditQueries(jdbc);
    }

    @Bean
    AuditExport auditExport(
            DataSource dataSource, TransactionTemplate transactions, AuditLog audit, AuditKeys keys, Clock clock) {
        return new AuditExport(dataSource, transactions, audit, keys, clock);
    }

    @Bean
    CheckpointSchedule auditCheckpointSchedule(AuditLog audit, TransactionTemplate transactions) {
        return new CheckpointSchedule(audit, transactions);
    }

    /** Once every bean exists: check the database role, record the audit key if it is new. */
    @Bean
    SmartInitializingSingleton auditAtStart(AuditLog audit, JdbcClient jdbc, TransactionTemplate transactions) {
        return () -> {
            DatabaseRoleCheck.appendOnly(jdbc);
            new ConfigurationAudit(audit, transactions).recordChanges();
        };
    }
}
