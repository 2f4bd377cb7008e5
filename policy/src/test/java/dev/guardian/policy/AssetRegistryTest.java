package dev.guardian.policy;

import static dev.guardian.policy.TestData.ETH;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AssetRegistryTest {
    private final AssetRegistry registry = new AssetRegistry(ETH, List.of(USDC));

    @Test
    void resolvesARegisteredTokenByItsContract() {
        assertThat(registry.token(USDC.contract())).isEqualTo(USDC);
        assertThat(registry.token(Address.parseLenient(USDC.contract().toLowerHex())))
                .isEqualTo(USDC);
    }

    @Test
    void resolvesAnUnregisteredContractToAnUnknownTokenNeverToNothing() {
        Address stranger = address(0x77);

        assertThat(registry.token(stranger)).isEqualTo(new Asset.UnknownToken(stranger));
    }

    @Test
    void findsAssetsBySymbolIncludingTheNativeCoin() {
        assertThat(registry.bySymbol("USDC")).contains(USDC);
        assertThat(registry.bySymbol("ETH")).contains(ETH);
        assertThat(registry.bySymbol("DAI")).isEmpty();
        assertThat(registry.nativeAsset()).isEqualTo(ETH);
        assertThat(registry.tokens()).containsExactly(USDC);
    }

    @Test
    void rejectsTwoTokensWithOneSymbol() {
        Asset.Erc20 fakeUsdc = new Asset.Erc20(address(0x66), "USDC", 6);

        assertThatThrownBy(() -> new AssetRegistry(ETH, List.of(USDC, fakeUsdc)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("USDC");
    }

    @Test
    void rejectsATokenNamedLikeTheNativeCoin() {
        Asset.Erc20 fakeEther = new Asset.Erc20(address(0x66), "ETH", 18);

        assertThatThrownBy(() -> new AssetRegistry(ETH, List.of(fakeEther)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsOneContractRegisteredTwice() {
        Asset.Erc20 again = new Asset.Erc20(USDC.contract(), "USDC.e", 6);

        assertThatThrownBy(() -> new AssetRegistry(ETH, List.of(USDC, again)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
    }
}
