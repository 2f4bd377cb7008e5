package dev.guardian.service.approvals;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How often pending requests are checked against their deadline. Expiry does not depend on this
 * sweep alone: a vote after the deadline expires the request on the spot.
 */
@Validated
@ConfigurationProperties("guardian.approvals")
record ApprovalsProperties(@NotNull @DefaultValue("5s") Duration expirySweepInterval) {}
