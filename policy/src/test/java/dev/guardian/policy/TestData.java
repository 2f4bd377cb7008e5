package dev.guardian.policy;

import java.math.BigInteger;
import java.util.Arrays;

/** The assets and parties the policy tests speak about, in one place. */
public final class TestData {
    /** USDC as deployed on Base. */
    public static final Asset.Erc20 USDC =
            new Asset.Erc20(Address.parse("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"), "USDC", 6);

    public static final Asset.Native ETH = Asset.ether();
    /** A token nobody registered: Guardian cannot value it. */
    public static final Asset.UnknownToken SHADY = new Asset.UnknownToken(address(0x5a));

    public static final Address WALLET = address(0x01);
    public static final Address MERCHANT = address(0x02);
    public static final Address DEX_ROUTER = address(0x03);
    public static final Address STRANGER = address(0x04);
    public static final Address SANCTIONED = address(0x05);

    private TestData() {}

    /** An address whose 20 bytes all equal {@code fill}: distinct and easy to recognise in failures. */
    public static Address address(int fill) {
        byte[] bytes = new byte[Address.LENGTH];
        Arrays.fill(bytes, (byte) fill);
        return Address.of(bytes);
    }

    public static TokenAmount usdc(String decimal) {
        return TokenAmount.parse(USDC, decimal);
    }

    public static TokenAmount eth(String decimal) {
        return TokenAmount.parse(ETH, decimal);
    }

    public static TokenAmount unlimited(Asset asset) {
        return new TokenAmount(asset, TokenAmount.MAX_UINT256);
    }

    public static TokenAmount units(Asset asset, BigInteger units) {
        return new TokenAmount(asset, units);
    }
}
