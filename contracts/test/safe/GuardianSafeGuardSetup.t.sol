// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Enum} from "@safe-global/safe-contracts/contracts/common/Enum.sol";
import {GuardianSafeGuard} from "../../src/safe/GuardianSafeGuard.sol";
import {GuardianSafeGuardSetup} from "../../src/safe/GuardianSafeGuardSetup.sol";
import {ISafe} from "../../src/safe/ISafe.sol";
import {SafeGuardTestBase} from "./SafeGuardTestBase.sol";
import {DrainingModule, OtherSafeVersion} from "./SafeGuardAttackers.sol";

interface IProxyCreationCode {
    function proxyCreationCode() external pure returns (bytes memory);
}

/// @notice Installing and configuring the guard: in the Safe's creation transaction, on an existing
/// Safe, and every configuration the guard refuses.
contract GuardianSafeGuardSetupTest is SafeGuardTestBase {
    event SafeConfigured(
        address indexed safe,
        address indexed guardian,
        address usdc,
        address multiSendCallOnly,
        address fallbackHandler,
        uint256 usdcCapPerWindow,
        uint256 windowSeconds,
        address[] treasuryOwners
    );

    function test_theFactoryCreatesTheSafeWithTheGuardInstalledAndConfigured() public view {
        assertEq(_guardOf(safe), address(guard), "guard installed by the creation transaction");
        assertTrue(guard.isConfigured(address(safe)), "configured");
        GuardianSafeGuard.SafeConfig memory config = guard.configOf(address(safe));
        assertEq(config.guardian, guardian, "guardian");
        assertEq(config.usdc, address(usdc), "usdc");
        assertEq(config.multiSendCallOnly, multiSend, "multiSend");
        assertEq(config.usdcCapPerWindow, CAP, "cap");
        assertEq(config.windowSeconds, WINDOW, "window");
        assertEq(config.treasuryOwners.length, 1, "one treasury owner");
        assertEq(config.treasuryOwners[0], treasury, "treasury owner");
        assertEq(guard.fallbackHandlerOf(address(safe)), fallbackHandler, "fallback handler recorded");
        (uint256 start, uint256 resetsAt, uint256 spent, uint256 remaining) = guard.usdcWindowOf(address(safe));
        assertEq(start, 1_700_000_000, "the first window starts at configuration");
        assertEq(resetsAt, 1_700_000_000 + WINDOW, "and lasts a window");
        assertEq(spent, 0, "nothing spent");
        assertEq(remaining, CAP, "the whole cap remains");
        assertEq(safe.getThreshold(), 2, "threshold");
        assertEq(safe.nonce(), 0, "no transaction yet");
        assertEq(safe.VERSION(), "1.4.1", "the real Safe 1.4.1");
    }

    function test_theGuardAdvertisesSafesGuardInterface() public view {
        // Safe 1.4.1's setGuard requires it: type(Guard).interfaceId, the XOR of checkTransaction
        // 0x75f0bb52 and checkAfterExecution 0x93271368.
        assertTrue(guard.supportsInterface(0xe6d7a83a), "Guard");
        assertTrue(guard.supportsInterface(0x01ffc9a7), "ERC-165");
        assertFalse(guard.supportsInterface(0xffffffff), "not everything");
    }

    function test_theCreationEmitsTheConfiguration() public {
        address[] memory owners = _owners(agent, guardian, treasury);
        vm.expectEmit(false, true, false, true, address(guard));
        emit SafeConfigured(address(0), guardian, address(usdc), multiSend, fallbackHandler, CAP, WINDOW, _list(treasury));
        ISafe created = _createGuardedSafe(owners, 2, _list(treasury), 2);
        assertEq(_guardOf(created), address(guard), "guarded");
    }

    function test_aSafeWhoseGuardConfigurationIsInvalidIsNeverCreated() public {
        GuardianSafeGuard.SafeConfig memory config = _config(_list(treasury));
        config.guardian = outsider; // not among the owners
        bytes memory initializer = abi.encodeCall(
            ISafe.setup,
            (
                _owners(agent, guardian, treasury),
                2,
                address(guardSetup),
                abi.encodeCall(guardSetup.setupGuard, (config)),
                fallbackHandler,
                address(0),
                0,
                payable(address(0))
            )
        );
        address predicted = _predictedSafe(initializer, 7);

        vm.expectRevert();
        factory.createProxyWithNonce(address(singleton), initializer, 7);

        assertEq(predicted.code.length, 0, "no Safe exists at the address");
        assertFalse(guard.isConfigured(predicted), "nothing configured");

        // The prediction itself is right: a valid initializer lands exactly where predicted.
        config.guardian = guardian;
        initializer = abi.encodeCall(
            ISafe.setup,
            (
                _owners(agent, guardian, treasury),
                2,
                address(guardSetup),
                abi.encodeCall(guardSetup.setupGuard, (config)),
                fallbackHandler,
                address(0),
                0,
                payable(address(0))
            )
        );
        assertEq(
            factory.createProxyWithNonce(address(singleton), initializer, 7),
            _predictedSafe(initializer, 7),
            "created where predicted"
        );
    }

    function test_setupGuardRefusesADirectCall() public {
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuardSetup.OnlyByDelegateCall.selector));
        guardSetup.setupGuard(_config(_list(treasury)));
        assertEq(address(guardSetup.guard()), address(guard), "the setup installs this guard only");
    }

    function test_configureRefusesEachInvalidField() public {
        ISafe bare = _bareSafeWithGuardSet(11);
        GuardianSafeGuard.SafeConfig memory config;

        config = _config(_list(treasury));
        config.guardian = address(0);
        _expectInvalid(bare, config, "guardian");
        config.guardian = outsider;
        _expectInvalid(bare, config, "guardian");

        config = _config(_list(treasury));
        config.usdc = address(0xDEAD); // no code
        _expectInvalid(bare, config, "usdc");

        config = _config(_list(treasury));
        config.multiSendCallOnly = address(0xDEAD);
        _expectInvalid(bare, config, "multiSendCallOnly");
        config.multiSendCallOnly = address(guard);
        _expectInvalid(bare, config, "multiSendCallOnly");
        config.multiSendCallOnly = address(bare);
        _expectInvalid(bare, config, "multiSendCallOnly");

        config = _config(_list(treasury));
        config.usdcCapPerWindow = uint256(type(uint128).max) + 1;
        _expectInvalid(bare, config, "usdcCapPerWindow");

        config = _config(_list(treasury));
        config.windowSeconds = 0;
        _expectInvalid(bare, config, "windowSeconds");
        config.windowSeconds = uint256(type(uint32).max) + 1;
        _expectInvalid(bare, config, "windowSeconds");

        config = _config(_list(outsider)); // not an owner
        _expectInvalid(bare, config, "treasuryOwners");
        config = _config(_list(guardian)); // Guardian cannot be its own recovery
        _expectInvalid(bare, config, "treasuryOwners");
        address[] memory twice = new address[](2);
        twice[0] = treasury;
        twice[1] = treasury;
        config = _config(twice);
        _expectInvalid(bare, config, "treasuryOwners");
        config = _config(new address[](9));
        _expectInvalid(bare, config, "treasuryOwners");

        assertFalse(guard.isConfigured(address(bare)), "no invalid configuration was stored");
        vm.prank(address(bare));
        guard.configure(_config(_list(treasury)));
        assertTrue(guard.isConfigured(address(bare)), "a valid one is");
    }

    function test_configureRefusesASafeOfAnotherVersion() public {
        OtherSafeVersion other = new OtherSafeVersion();
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.UnsupportedSafe.selector, address(other)));
        other.configure(guard, _config(_list(treasury)));
        assertFalse(guard.isConfigured(address(other)), "not configured");
    }

    function test_configureRefusesASafeWithoutTheGuardInstalled() public {
        ISafe bare = _createSafe(_owners(agent, guardian, treasury), 2, address(0), "", 12);
        vm.prank(address(bare));
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.GuardNotInstalled.selector, address(bare), address(0)));
        guard.configure(_config(_list(treasury)));
        assertFalse(guard.isConfigured(address(bare)), "a configuration for an unguarded Safe would be a false promise");
    }

    function test_configureRefusesASafeWithAModule() public {
        ISafe bare = _createSafe(_owners(agent, guardian, treasury), 2, address(0), "", 13);
        DrainingModule module = new DrainingModule();
        _execBare(bare, address(bare), abi.encodeCall(ISafe.enableModule, (address(module))));
        _execBare(bare, address(bare), abi.encodeCall(ISafe.setGuard, (address(guard))));

        vm.prank(address(bare));
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.ModuleEnabled.selector, address(bare), address(module)));
        guard.configure(_config(_list(treasury)));
        assertFalse(guard.isConfigured(address(bare)), "not configured");
        assertTrue(bare.isModuleEnabled(address(module)), "the module is why");
    }

    function test_configureRefusesAFallbackHandlerThatIsTheGuardOrUsdc() public {
        // The Safe forwards any call it does not know to its handler, as itself: with USDC as handler,
        // anyone could call usdc.transfer as the Safe; with the guard, anyone could configure it.
        ISafe bare = _bareSafeWithGuardSet(14);
        _setHandlerUnguarded(bare, address(usdc));
        vm.prank(address(bare));
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.InvalidConfiguration.selector, "fallbackHandler"));
        guard.configure(_config(_list(treasury)));

        _setHandlerUnguarded(bare, address(guard));
        vm.prank(address(bare));
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.InvalidConfiguration.selector, "fallbackHandler"));
        guard.configure(_config(_list(treasury)));
        assertFalse(guard.isConfigured(address(bare)), "not configured");
    }

    function test_anExistingSafeInstallsTheGuardByDelegateCallingTheSetup() public {
        ISafe bare = _createSafe(_owners(agent, guardian, treasury), 2, address(0), "", 15);
        _fund(bare);
        SafeTx memory install =
            _call(bare, address(guardSetup), 0, abi.encodeCall(guardSetup.setupGuard, (_config(_list(treasury)))));
        install.operation = Enum.Operation.DelegateCall;
        _exec(bare, install, _signatures(_hash(bare, install), _keys(AGENT_KEY, GUARDIAN_KEY)));

        assertEq(_guardOf(bare), address(guard), "installed");
        assertTrue(guard.isConfigured(address(bare)), "configured");
        // From now on the guard holds: no cover, no payment.
        SafeTx memory pay = _usdcTransfer(bare, payee, 1e6);
        bytes memory ownersOnly = _signatures(_hash(bare, pay), _keys(AGENT_KEY, GUARDIAN_KEY));
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.CoverMissing.selector));
        _exec(bare, pay, ownersOnly);
        assertEq(usdc.balanceOf(payee), 0, "nothing paid");
    }

    function test_aSafeThatSetTheGuardWithoutConfiguringItMayOnlyConfigureIt() public {
        ISafe bare = _bareSafeWithGuardSet(16);
        _fund(bare);

        SafeTx memory pay = _usdcTransfer(bare, payee, 1e6);
        bytes memory signatures = _signatures(_hash(bare, pay), _keys(AGENT_KEY, GUARDIAN_KEY));
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.SafeNotConfigured.selector, address(bare)));
        _exec(bare, pay, signatures);

        SafeTx memory fix = _call(bare, address(guard), 0, abi.encodeCall(guard.configure, (_config(_list(treasury)))));
        _exec(bare, fix, _signatures(_hash(bare, fix), _keys(AGENT_KEY, GUARDIAN_KEY)));
        assertTrue(guard.isConfigured(address(bare)), "configured by its owners");

        pay = _usdcTransfer(bare, payee, 1e6);
        _exec(bare, pay, _coSigned(bare, pay, 1e6, 0));
        assertEq(usdc.balanceOf(payee), 1e6, "and guarded from then on");
    }

    // ------------------------------------------------------------------------------------------------

    function _expectInvalid(ISafe bare, GuardianSafeGuard.SafeConfig memory config, string memory field) internal {
        vm.prank(address(bare));
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.InvalidConfiguration.selector, field));
        guard.configure(config);
    }

    /// @dev A Safe without a guard executes with its owners' signatures alone.
    function _execBare(ISafe bare, address to, bytes memory data) internal {
        SafeTx memory t = _call(bare, to, 0, data);
        assertTrue(_exec(bare, t, _signatures(_hash(bare, t), _keys(AGENT_KEY, GUARDIAN_KEY))), "executed");
    }

    /// @dev A Safe whose owners set the guard by a plain transaction and never configured it.
    function _bareSafeWithGuardSet(uint256 salt) internal returns (ISafe bare) {
        bare = _createSafe(_owners(agent, guardian, treasury), 2, address(0), "", salt);
        _execBare(bare, address(bare), abi.encodeCall(ISafe.setGuard, (address(guard))));
        assertEq(_guardOf(bare), address(guard), "guard set");
        assertFalse(guard.isConfigured(address(bare)), "but not configured");
    }

    /// @dev Writes the handler slot directly: the guard (unconfigured) would not let a transaction do it.
    function _setHandlerUnguarded(ISafe bare, address handler) internal {
        vm.store(address(bare), FALLBACK_HANDLER_SLOT, bytes32(uint256(uint160(handler))));
        assertEq(_fallbackHandlerOf(bare), handler, "handler set");
    }

    /// @dev SafeProxyFactory's CREATE2 address: salt = keccak(keccak(initializer), saltNonce).
    function _predictedSafe(bytes memory initializer, uint256 saltNonce) internal view returns (address) {
        bytes32 salt = keccak256(abi.encodePacked(keccak256(initializer), saltNonce));
        bytes memory deployment = abi.encodePacked(
            IProxyCreationCode(address(factory)).proxyCreationCode(), uint256(uint160(address(singleton)))
        );
        return address(
            uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(factory), salt, keccak256(deployment)))))
        );
    }
}
