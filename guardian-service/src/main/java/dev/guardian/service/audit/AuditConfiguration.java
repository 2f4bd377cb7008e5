package dev.guardian.service.audit;

import dev.guardian.signer.KeyVault;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the audit log: its key, the log itself, the auditor's queries and export, and the checkpoint schedule. */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    AuditKeys auditKeys(JdbcClient jdbc, TransactionTemplate transactions, KeyVault vault, Clock clock) {
        return AuditKeys.loadOrCreate(jdbc, transactions, vault, clock);
    }

    @Bean
    AuditLog auditLog(
            DataSource dataSource,
            TransactionTemplate transactions,
            Clock clock,
            AuditKeys keys,
            AuditProperties properties) {
        return new AuditLog(dataSource, transactions, clock, keys, properties.checkpointEveryRecords());
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
