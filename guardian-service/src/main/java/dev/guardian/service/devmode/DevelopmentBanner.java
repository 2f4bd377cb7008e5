package dev.guardian.service.devmode;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.Relayer;
import dev.guardian.service.devchain.DevChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Once Guardian is up in development mode: funds the demo wallet (1,000 test USDC and 10 ETH) and the
 * relayer (1 ETH), and prints the demo agent's API key with ready-to-paste curl lines.
 */
class DevelopmentBanner {
    private static final Logger log = LoggerFactory.getLogger(DevelopmentBanner.class);
    private static final String SANCTIONED_EXAMPLE = "0x04DBA1194ee10112fE6C3207C0687DEf0e78baCf";

    private final LocalDevelopment development;

    DevelopmentBanner(LocalDevelopment development) {
        this.development = development;
    }

    @EventListener
    void onReady(ApplicationReadyEvent ready) {
        AgentDirectory agents = ready.getApplicationContext().getBean(AgentDirectory.class);
        Agent demo = agents.find(LocalDevelopment.DEMO_AGENT).orElseThrow();
        development
                .chain()
                .mintUsdc(
                        development.usdc(),
                        demo.walletAddress(),
                        TokenAmount.parse(DevChain.usdcAsset(development.usdc()), "1000"));
        development.chain().setEthBalance(demo.walletAddress(), TokenAmount.parse(Asset.ether(), "10"));
        // The relayer pays the gas of the cancellations of outstanding authorizations (docs/typed-data.md).
        Address relayer = ready.getApplicationContext().getBean(Relayer.class).address();
        development.chain().setEthBalance(relayer, TokenAmount.parse(Asset.ether(), "1"));
        String port = ready.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080");
        String base = "http://localhost:" + port;
        String key = development.demoApiKey();
        String curl = "curl -s -X POST " + base + "/v1/payments -H 'Authorization: Bearer " + key
                + "' -H 'Content-Type: application/json'";
        // Printed to standard output on purpose: it is the development mode's whole point, and only here
        // does an API key ever appear in the clear. Real agents' keys are configured as hashes.
        System.out.println("""

                ==========================================================================================
                Guardian is running in DEVELOPMENT MODE (local Anvil, embedded PostgreSQL, test USDC).

                Demo agent API key (shown once):  %s
                Demo wallet:  %s  (funded with 1000 USDC and 10 ETH)
                Relayer:      %s  (funded with 1 ETH: pays for cancelling outstanding authorizations)
                Demo policy:  per payment 100 USDC (above escalates; above 250, two approvals),
                              500 USDC per 24h (beyond is denied),
                              allowlist: %s (demo merchant), %s (payment router)

                Pay the allowlisted merchant 12.50 USDC (confirmed on the local chain):
                  %s -H 'Idempotency-Key: demo-1' -d '{"recipient":"%s","amount":"12.50"}'

                Pay above the per-payment cap (escalated to humans):
                  %s -d '{"recipient":"%s","amount":"150"}'

                Pay an address on the OFAC sanctions list (denied):
                  %s -d '{"recipient":"%s","amount":"1"}'

                Read a request:   curl -s %s/v1/requests/<id> -H 'Authorization: Bearer %s'
                Wait for a decision: curl -s '%s/v1/requests/<id>?waitWhile=PENDING_APPROVAL&waitSeconds=30' -H 'Authorization: Bearer %s'
                Remaining budget: curl -s %s/v1/budget -H 'Authorization: Bearer %s'

                Demo approver token (shown once): %s
                Pending approvals: curl -s %s/v1/approvals -H 'Authorization: Bearer %s'
                Approve one:       curl -s -X POST %s/v1/approvals/<id>/approve -H 'Authorization: Bearer %s' \
                                     -H 'Content-Type: application/json' -d '{"comment":"checked the invoice"}'
                ==========================================================================================
                """.formatted(
                        key,
                        demo.walletAddress(),
                        relayer,
                        development.demoMerchant(),
                        development.router(),
                        curl,
                        development.demoMerchant(),
                        curl,
                        development.demoMerchant(),
                        curl,
                        SANCTIONED_EXAMPLE,
                        base,
                        key,
                        base,
                        key,
                        base,
                        key,
                        development.demoApproverToken(),
                        base,
                        development.demoApproverToken(),
                        base,
                        development.demoApproverToken()));
        log.info("development mode ready on {}", base);
    }
}
