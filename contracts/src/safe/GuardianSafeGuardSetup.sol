// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {GuardianSafeGuard} from "./GuardianSafeGuard.sol";
import {ISafe} from "./ISafe.sol";

/// @title GuardianSafeGuardSetup
/// @notice Installs and configures GuardianSafeGuard inside the transaction that creates a Safe, so no
/// Safe made this way exists unguarded for even one block: `Safe.setup(owners, threshold, to = this
/// contract, data = abi.encodeCall(setupGuard, (config)), fallbackHandler, 0, 0, 0)`, usually through
/// `SafeProxyFactory.createProxyWithNonce`, whose CREATE2 salt hashes that initializer, so the Safe's
/// address itself commits to the guard and its configuration.
/// @dev Safe.setup DELEGATECALLs `setupGuard` after setting owners, threshold and fallback handler: the
/// code below runs as the Safe. It calls the Safe's own `setGuard` (allowed, the caller is the Safe) and
/// then the guard's `configure` (whose caller is therefore the Safe). The same call, as a DELEGATECALL
/// Safe transaction, installs the guard on an existing Safe that has no guard yet; a Safe already guarded
/// cannot DELEGATECALL here (the guard allows only MultiSendCallOnly), which is as it should be.
contract GuardianSafeGuardSetup {
    /// @notice The guard this contract installs; fixed, so a Safe's creator cannot point it elsewhere.
    GuardianSafeGuard public immutable guard;
    address private immutable self;

    error OnlyByDelegateCall();

    constructor(GuardianSafeGuard guard_) {
        guard = guard_;
        self = address(this);
    }

    /// @notice Sets `guard` as the calling Safe's transaction guard and configures it. DELEGATECALL only.
    function setupGuard(GuardianSafeGuard.SafeConfig calldata config) external {
        // Called directly, `this` is the setup contract, which is no Safe; say so instead of failing
        // somewhere inside setGuard.
        if (address(this) == self) revert OnlyByDelegateCall();
        ISafe(address(this)).setGuard(address(guard));
        guard.configure(config);
    }
}
