package dev.guardian.service.requests;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code guardian.treasury.*}: the treasury actions' settings. {@code sweepAddress} is where sweeps send
 * a wallet's funds, the organisation's own treasury address (a multisig, a custody account); without it
 * sweeps are refused. It is configuration, never part of a request, so that a stolen treasury token cannot
 * sweep a wallet to its thief. It must not be one of Guardian's own wallets.
 */
@ConfigurationProperties("guardian.treasury")
record TreasuryProperties(String sweepAddress) {}
