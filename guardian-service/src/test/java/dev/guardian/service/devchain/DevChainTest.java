package dev.guardian.service.devchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.TestAddresses;
import java.math.BigInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AnvilExtension.class)
class DevChainTest {
    private static Address token;

    @BeforeAll
    static void deploy(DevChain dev) {
        token = dev.deployTestUsdc();
    }

    @Test
    void usesAnvilsFirstDevAccountAsOwner(DevChain dev) {
        assertThat(dev.owner()).isEqualTo(Address.parseLenient("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"));
        assertThat(dev.devAccounts()).hasSize(10);
        assertThat(dev.chainId()).isEqualTo(31337);
    }

    @Test
    void mintsTestUsdcToAnyAddress(DevChain dev) {
        Address holder = TestAddresses.fresh();

        dev.mintUsdc(token, holder, usdc(25_000_000));

        assertThat(dev.usdcBalance(token, holder)).isEqualTo(usdc(25_000_000));
    }

    @Test
    void setsAnEthBalanceOutright(DevChain dev) {
        Address holder = TestAddresses.fresh();
        TokenAmount twoEth = new TokenAmount(Asset.ether(), BigInteger.TWO.multiply(BigInteger.TEN.pow(18)));

        dev.setEthBalance(holder, twoEth);

        assertThat(dev.ethBalance(holder)).isEqualTo(twoEth);
    }

    @Test
    void blacklistedAddressesCanNoLongerReceiveTheToken(DevChain dev) {
        Address holder = TestAddresses.fresh();
        Address blocked = TestAddresses.fresh();
        dev.setEthBalance(holder, new TokenAmount(Asset.ether(), BigInteger.TEN.pow(18)));
        dev.mintUsdc(token, holder, usdc(5));
        dev.sendAs(holder, token, Calldata.transfer(blocked, usdc(1)));

        dev.blacklist(token, blocked);

        assertThatThrownBy(() -> dev.sendAs(holder, token, Calldata.transfer(blocked, usdc(1))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reverted");
        assertThat(dev.usdcBalance(token, blocked)).isEqualTo(usdc(1));
        dev.unBlacklist(token, blocked);
        dev.sendAs(holder, token, Calldata.transfer(blocked, usdc(1)));
        assertThat(dev.usdcBalance(token, blocked)).isEqualTo(usdc(2));
    }

    @Test
    void onlyTheOwnerMayMint(DevChain dev) {
        Address stranger = dev.devAccounts().get(3);
        byte[] mint = Calldata.mint(stranger, usdc(1));

        assertThatThrownBy(() -> dev.send(stranger, token, TokenAmount.zero(Asset.ether()), mint))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void revertsToASnapshot(DevChain dev) {
        Address holder = TestAddresses.fresh();
        String snapshot = dev.snapshot();
        dev.mintUsdc(token, holder, usdc(7));

        dev.revertTo(snapshot);

        assertThat(dev.usdcBalance(token, holder)).isEqualTo(usdc(0));
    }

    @Test
    void deploysAPaymentRouter(DevChain dev) {
        Address router = dev.deployPaymentRouter();

        assertThat(router).isNotEqualTo(token);
        assertThat(dev.ethBalance(router)).isEqualTo(TokenAmount.zero(Asset.ether()));
    }

    private static TokenAmount usdc(long units) {
        return TokenAmount.ofUnits(DevChain.usdcAsset(token), units);
    }
}
