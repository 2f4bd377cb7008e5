package dev.guardian.service.identity;

import dev.guardian.service.audit.AuditLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires identities at start: the configured people (and the development mode's, through {@link AdditionalPeople}) are written into the
 * database with their token hashes, then, if no active administrator exists, the initial one is
 * created. Both happen before the web server takes its first request.
 */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    Credentials credentials(JdbcClient jdbc, TransactionTemplate transactions, AuditLog audit, Clock clock) {
        return new Credentials(jdbc, transactions, audit, clock);
    }

    @Bean
    @DependsOnDatabaseInitialization
    People people(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            AuditLog audit,
            Credentials credentials,
            Clock clock,
            PeopleProperties configured,
            ObjectProvider<AdditionalPeople> additional) {
        People people = new People(jdbc, transactions, audit, credentials, clock);
        List<PeopleProperties.Person> everyone = new ArrayList<>(configured.people());
        additional.orderedStream().forEach(more -> everyone.addAll(more.people()));
        people.loadConfigured(everyone);
        return people;
    }

    @Bean
    InitialAdmin initialAdmin(People people, IdentityProperties identity) {
        InitialAdmin initialAdmin = new InitialAdmin(people, identity.initialAdminTokenFile());
        initialAdmin.ensure();
        return initialAdmin;
    }

    @Bean
    Callers callers(
            Credentials credentials,
            People people,
            InitialAdmin initialAdmin,
            IdentityProperties identity,
            Clock clock) {
        IdentityProperties.Oidc oidc = identity.oidc();
        Optional<OidcTokens> tokens = oidc.enabled() ? Optional.of(new OidcTokens(oidc, clock)) : Optional.empty();
        return new Callers(credentials, tokens, people, initialAdmin);
    }
}
