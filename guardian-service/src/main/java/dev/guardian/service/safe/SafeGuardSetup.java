package dev.guardian.service.safe;

import dev.guardian.policy.Address;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Installing GuardianSafeGuard in a Safe's creation transaction (contracts/README.md, "GuardianSafeGuard"):
 * {@code Safe.setup} DELEGATECALLs GuardianSafeGuardSetup's {@code setupGuard(config)}, which sets the guard and
 * configures it as the new Safe, so no Safe Guardian creates exists unguarded for even one block. The config:
 * Guardian's co-signing key, the USDC token, the only MultiSendCallOnly the Safe may DELEGATECALL, the hard USDC
 * cap per window and the window, and the treasury owners whose signature opens the recovery path.
 */
public final class SafeGuardSetup {
    private static final byte[] SETUP_GUARD =
            Abi.selector("setupGuard((address,address,address,uint256,uint256,address[]))");

    private SafeGuardSetup() {}

    /** The guard's configuration of one Safe ({@code GuardianSafeGuard.SafeConfig}). */
    public record Config(
            Address guardian,
            Address usdc,
            Address multiSendCallOnly,
            BigInteger usdcCapPerWindow,
            Duration window,
            List<Address> treasuryOwners) {
        public Config {
            Objects.requireNonNull(guardian, "guardian");
            Objects.requireNonNull(usdc, "usdc");
            Objects.requireNonNull(multiSendCallOnly, "multiSendCallOnly");
            Objects.requireNonNull(usdcCapPerWindow, "usdcCapPerWindow");
            Objects.requireNonNull(window, "window");
            treasuryOwners = List.copyOf(treasuryOwners);
            if (usdcCapPerWindow.signum() < 0 || usdcCapPerWindow.bitLength() > 128) {
                throw new IllegalArgumentException("usdcCapPerWindow: the guard holds a cap below 2^128");
            }
            if (window.toSeconds() < 1 || window.toSeconds() > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("window: the guard's window is 1 s to 2^32 - 1 s");
            }
            if (treasuryOwners.size() > 8) {
                throw new IllegalArgumentException("treasuryOwners: the guard takes at most 8");
            }
        }
    }

    /** Calldata of {@code setupGuard(config)}: the {@code data} of Safe.setup's delegatecall to the setup contract. */
    public static byte[] setupGuardData(Config config) {
        // A tuple with a dynamic member is encoded as abi.encode of its members, behind one offset word.
        byte[] tuple = Abi.encode(
                Abi.address(config.guardian()),
                Abi.address(config.usdc()),
                Abi.address(config.multiSendCallOnly()),
                Abi.uint(config.usdcCapPerWindow()),
                Abi.uint(config.window().toSeconds()),
                new Abi.AddressArray(config.treasuryOwners()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SETUP_GUARD);
        out.writeBytes(Abi.uint(32).word());
        out.writeBytes(tuple);
        return out.toByteArray();
    }

    /**
     * The initializer of a co-signed Safe: owners the agent's key, Guardian's co-signing key and the treasury's,
     * threshold 2, the guard installed and configured by {@code guardSetup} during setup, and the fallback
     * handler.
     */
    public static SafeSetup.Initializer initializer(
            Address agentOwner, Config config, Address guardSetup, Address fallbackHandler) {
        List<Address> owners = new ArrayList<>();
        owners.add(agentOwner);
        owners.add(config.guardian());
        owners.addAll(config.treasuryOwners());
        return new SafeSetup.Initializer(owners, 2, Optional.of(guardSetup), setupGuardData(config), fallbackHandler);
    }
}
