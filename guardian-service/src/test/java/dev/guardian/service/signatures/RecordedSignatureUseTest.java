package dev.guardian.service.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.requests.RequestStore;
import dev.guardian.service.requests.SignedTypedData;
import dev.guardian.service.requests.StoredRequest;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.HeldBudget;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.service.testsupport.TypedDataJsons;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The authorization watcher follows a signature as it was recognised when it was signed, not as today's
 * configuration would read the typed data again: an authorization signed, then Guardian restarted with a USDC
 * domain the token does not confirm (so it signs no USDC type any more), is still seen used on chain, and its
 * reservation posted. Reading it again would have found nothing to watch and held the reservation for ever.
 */
class RecordedSignatureUseTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final Address SHOP = TestAddresses.fresh();
    private static final AgentSpec PAYER =
            AgentSpec.agent("recorded-payer").perTransactionCap("100").allow(SHOP);

    private static GuardianInstance start(TestDatabase database, String kek, Address usdc, String usdcDomainName) {
        return GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .database(database)
                .kek(kek)
                .agent(PAYER)
                .property("guardian.chain.usdc.eip712-name", usdcDomainName)
                .property("guardian.worker.authorization-watch-interval", "300ms")
                .start();
    }

    @Test
    void anAuthorizationIsFollowedAsItWasSignedWhateverTheConfigurationSaysLater() throws Exception {
        DevChain chain = CHAIN.devChain();
        Address usdc = chain.deployTestUsdc();
        Address facilitator = chain.devAccounts().get(3);
        TokenAmount five = TokenAmount.parse(DevChain.usdcAsset(usdc), "5");
        String domain = TypedDataJsons.domain(TypedDataJsons.TOKEN_NAME, chain.chainId(), usdc);
        String kek = GuardianInstance.newKek();
        byte[] nonce = TypedDataJsons.randomNonce();
        long validBefore = Instant.now().getEpochSecond() + 300;
        try (TestDatabase database = TestDatabase.start()) {
            Address wallet;
            String id;
            byte[] signature;
            try (GuardianInstance before = start(database, kek, usdc, TypedDataJsons.TOKEN_NAME)) {
                wallet = before.walletOf(PAYER);
                chain.mintUsdc(usdc, wallet, TokenAmount.parse(DevChain.usdcAsset(usdc), "100"));
                AgentClient.Response signed = before.client(PAYER)
                        .post(
                                "/v1/typed-data-signatures",
                                TypedDataJsons.transferWithAuthorization(
                                        domain, wallet, SHOP, five.units(), 0, validBefore, nonce),
                                Optional.empty());
                assertThat(signed.status()).as(signed.raw().body()).isEqualTo(200);
                assertThat(signed.text("status")).isEqualTo("AUTHORIZED");
                id = signed.text("id");
                signature = Hex.decode(
                        signed.body().path("signature").path("signature").asString());
                StoredRequest recorded = before.bean(RequestStore.class)
                        .find(UUID.fromString(id))
                        .orElseThrow();
                assertThat(recorded.typedData().flatMap(SignedTypedData::use))
                        .as("what the chain will show is recorded with the signature")
                        .hasValueSatisfying(use -> {
                            OnChainUse.Eip3009 authorization = (OnChainUse.Eip3009) use;
                            assertThat(authorization.token()).isEqualTo(usdc);
                            assertThat(authorization.to()).isEqualTo(SHOP);
                            assertThat(authorization.nonce()).isEqualTo(nonce);
                        });
            }

            try (GuardianInstance after = start(database, kek, usdc, "USD Coin")) {
                // Today's configuration names a USDC domain the token does not confirm: no USDC type is signed.
                AgentClient.Response refused = after.client(PAYER)
                        .post(
                                "/v1/typed-data-signatures",
                                TypedDataJsons.transferWithAuthorization(
                                        domain,
                                        wallet,
                                        SHOP,
                                        five.units(),
                                        0,
                                        validBefore,
                                        TypedDataJsons.randomNonce()),
                                Optional.empty());
                assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
                assertThat(refused.body().toString()).contains("typed-data.not-allowed");

                // The seller's facilitator uses the authorization signed before.
                chain.send(
                        facilitator,
                        usdc,
                        TokenAmount.zero(Asset.ether()),
                        TypedDataJsons.transferWithAuthorizationCall(
                                wallet, SHOP, five.units(), 0, validBefore, nonce, signature));

                AgentClient.Response settled = after.client(PAYER).awaitStatus(id, SETTLE, "CONFIRMED");
                assertThat(settled.text("status")).isEqualTo("CONFIRMED");
                assertThat(HeldBudget.state(after, id)).isEqualTo("POSTED");
                assertThat(chain.usdcBalance(usdc, SHOP)).isEqualTo(five);
            }
        }
    }
}
