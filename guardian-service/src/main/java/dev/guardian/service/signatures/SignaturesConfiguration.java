package dev.guardian.service.signatures;

import dev.guardian.service.chain.ChainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Reads USDC's EIP-712 domain from the chain once Guardian is up, so that an operator learns at start, not
 * at the first x402 payment, that the chain profile and the token disagree. Guardian still starts (the
 * chain may be away for a while, and transfers do not need the domain); until the domain is confirmed,
 * typed data for USDC is refused with the reason.
 */
@Configuration(proxyBeanMethods = false)
class SignaturesConfiguration {
    private static final Logger log = LoggerFactory.getLogger(SignaturesConfiguration.class);

    private final TokenDomains domains;

    SignaturesConfiguration(TokenDomains domains) {
        this.domains = domains;
    }

    @EventListener(ApplicationReadyEvent.class)
    void confirmUsdcDomain() {
        try {
            domains.usdc()
                    .problem()
                    .ifPresent(problem ->
                            log.error("typed-data signatures for USDC are refused until this is fixed: {}", problem));
        } catch (ChainException e) {
            log.warn(
                    "USDC's EIP-712 domain could not be read from the chain at start ({}); it is read at the first"
                            + " typed-data request",
                    e.getMessage());
        }
    }
}
