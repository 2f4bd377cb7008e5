// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {GuardianSafeGuard} from "../../src/safe/GuardianSafeGuard.sol";
import {ISafe} from "../../src/safe/ISafe.sol";
import {IErc20Transfer, TwoFacedMerchant} from "../../src/attacks/TwoFacedMerchant.sol";
import {TestBase} from "../utils/TestBase.sol";
import {SafeGuardTestBase} from "./SafeGuardTestBase.sol";
import {DrainingModule} from "./SafeGuardAttackers.sol";

/// @notice Drives the guarded Safe with random transactions as agent and Guardian would (never with a
/// treasury signature): payments with random covers, batches, a two-faced merchant, allowances left
/// behind, attempts on the Safe's setup, time passing and money arriving. It measures what leaves the
/// Safe itself, from balances, per window, and keeps the largest window's total.
contract SafeGuardHandler is SafeGuardTestBase {
    TwoFacedMerchant internal merchant;
    DrainingModule internal module;
    address[3] internal payees = [address(0x9A7EE), address(0x9A7EF), address(0x9A7F0)];

    uint256 public windowOrigin;
    mapping(uint256 window => uint256) public outflowInWindow;
    uint256 public largestWindowOutflow;
    uint256 public executed;
    uint256 public refused;

    constructor() {
        setUp();
        merchant = new TwoFacedMerchant(address(0)); // nobody's simulation: on chain it keeps everything
        module = new DrainingModule();
        (windowOrigin,,,) = guard.usdcWindowOf(address(safe));
    }

    function guardedSafe() external view returns (ISafe) {
        return safe;
    }

    function theGuard() external view returns (GuardianSafeGuard) {
        return guard;
    }

    function pay(uint256 payeeSeed, uint256 amount, uint256 covered) external {
        amount = bound(amount, 0, 2 * CAP);
        // Half the time Guardian covers exactly what it simulated, so the cap, not the cover, decides.
        covered = payeeSeed % 2 == 0 ? amount : bound(covered, 0, 2 * CAP);
        SafeTx memory t = _usdcTransfer(safe, payees[payeeSeed % 3], amount);
        _measured(t, _coSigned(safe, t, covered, 0));
    }

    function payEth(uint256 amount, uint256 covered) external {
        amount = bound(amount, 0, 1 ether);
        covered = bound(covered, 0, 1 ether);
        SafeTx memory t = _call(safe, payees[amount % 3], amount, "");
        _measured(t, _coSigned(safe, t, 0, covered));
    }

    function payInABatch(uint256 first, uint256 second, uint256 covered) external {
        first = bound(first, 0, CAP);
        second = bound(second, 0, CAP);
        covered = bound(covered, 0, 2 * CAP);
        Call[] memory calls = new Call[](2);
        calls[0] = Call(address(usdc), 0, abi.encodeCall(usdc.transfer, (payees[0], first)));
        calls[1] = Call(address(usdc), 0, abi.encodeCall(usdc.transfer, (payees[1], second)));
        SafeTx memory t = _multiSend(safe, calls);
        _measured(t, _coSigned(safe, t, covered, 0));
    }

    /// @dev Guardian covers what a simulation showed (price - refund); on chain the merchant refunds nothing.
    function payTheTwoFacedMerchant(uint256 price, uint256 refund) external {
        price = bound(price, 1, CAP);
        refund = bound(refund, 0, price);
        Call[] memory calls = new Call[](2);
        calls[0] = Call(address(usdc), 0, abi.encodeCall(usdc.transfer, (address(merchant), price)));
        calls[1] = Call(
            address(merchant),
            0,
            abi.encodeCall(merchant.settle, (IErc20Transfer(address(usdc)), refund, TwoFacedMerchant.Tell.TxOrigin))
        );
        SafeTx memory t = _multiSend(safe, calls);
        _measured(t, _coSigned(safe, t, price - refund, 0));
    }

    function leaveAnAllowance(uint256 amount) external {
        amount = bound(amount, 1, CAP);
        SafeTx memory t = _call(safe, address(usdc), 0, abi.encodeCall(usdc.approve, (payees[1], amount)));
        _measured(t, _coSigned(safe, t, type(uint256).max, 0));
    }

    /// @dev Agent and Guardian, with an unlimited cover, go after the Safe's setup.
    function attackTheSetup(uint256 which) external {
        bytes memory data;
        address target = address(safe);
        which = which % 7;
        if (which == 0) data = abi.encodeCall(ISafe.setGuard, (address(0)));
        else if (which == 1) data = abi.encodeCall(ISafe.addOwnerWithThreshold, (outsider, 1));
        else if (which == 2) data = abi.encodeCall(ISafe.changeThreshold, (1));
        else if (which == 3) data = abi.encodeCall(ISafe.enableModule, (address(module)));
        else if (which == 4) data = abi.encodeCall(ISafe.setFallbackHandler, (address(usdc)));
        else if (which == 5) data = abi.encodeCall(ISafe.removeOwner, (_previousOwner(safe, treasury), treasury, 2));
        else {
            GuardianSafeGuard.SafeConfig memory generous = _config(new address[](0));
            generous.usdcCapPerWindow = type(uint128).max;
            target = address(guard);
            data = abi.encodeCall(guard.configure, (generous));
        }
        SafeTx memory t = _call(safe, target, 0, data);
        _measured(t, _coSigned(safe, t, type(uint256).max, type(uint256).max));
    }

    function passTime(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 0, 2 * WINDOW));
    }

    function receiveMoney(uint256 amount) external {
        usdc.mint(address(safe), bound(amount, 0, CAP));
    }

    function _measured(SafeTx memory t, bytes memory signatures) internal {
        uint256 before = usdc.balanceOf(address(safe));
        vm.prank(relayer, relayer);
        (bool ok, bytes memory result) = address(safe).call(
            abi.encodeCall(
                ISafe.execTransaction,
                (t.to, t.value, t.data, t.operation, t.safeTxGas, t.baseGas, t.gasPrice, t.gasToken, t.refundReceiver, signatures)
            )
        );
        if (ok && abi.decode(result, (bool))) executed++;
        else refused++;
        uint256 afterwards = usdc.balanceOf(address(safe));
        if (afterwards < before) {
            uint256 window = (block.timestamp - windowOrigin) / WINDOW;
            outflowInWindow[window] += before - afterwards;
            if (outflowInWindow[window] > largestWindowOutflow) largestWindowOutflow = outflowInWindow[window];
        }
    }
}

/// @notice What no sequence of agent-and-Guardian transactions can change: the USDC that leaves the
/// Safe per window stays within the cap, the guard's own count agrees with the balances, and the guard,
/// owners, threshold, fallback handler and absence of modules stay as the treasury set them.
contract GuardianSafeGuardInvariantTest is TestBase {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    SafeGuardHandler internal handler;
    ISafe internal safe;
    GuardianSafeGuard internal guard;
    address[] internal owners;
    address internal fallbackHandler;

    function setUp() public {
        handler = new SafeGuardHandler();
        safe = handler.guardedSafe();
        guard = handler.theGuard();
        owners = safe.getOwners();
        fallbackHandler = guard.fallbackHandlerOf(address(safe));
    }

    /// @dev forge's invariant runner reads these two (as forge-std's StdInvariant would declare them).
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory actions = new bytes4[](8);
        actions[0] = handler.pay.selector;
        actions[1] = handler.payEth.selector;
        actions[2] = handler.payInABatch.selector;
        actions[3] = handler.payTheTwoFacedMerchant.selector;
        actions[4] = handler.leaveAnAllowance.selector;
        actions[5] = handler.attackTheSetup.selector;
        actions[6] = handler.passTime.selector;
        actions[7] = handler.receiveMoney.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector(address(handler), actions);
    }

    function invariant_theUsdcThatLeavesPerWindowNeverExceedsTheCap() public view {
        assertTrue(handler.largestWindowOutflow() <= 1_000e6, "a window's outflow stayed within the cap");
    }

    function invariant_theGuardCountsExactlyWhatLeftInTheCurrentWindow() public view {
        (uint256 start,, uint256 spent,) = guard.usdcWindowOf(address(safe));
        uint256 window = (start - handler.windowOrigin()) / 1 days;
        assertEq(spent, handler.outflowInWindow(window), "the guard's count is the balances' count");
    }

    function invariant_theGuardAndTheSetupStayAsTheTreasurySetThem() public view {
        assertEq(
            address(uint160(uint256(bytes32(safe.getStorageAt(uint256(0x4a204f620c8c5ccdca3fd54d003badd85ba500436a431f0cbda4f558c93c34c8), 1))))),
            address(guard),
            "guard installed"
        );
        address[] memory current = safe.getOwners();
        assertEq(current.length, owners.length, "owner count");
        for (uint256 i = 0; i < owners.length; i++) {
            assertEq(current[i], owners[i], "same owners in the same order");
        }
        assertEq(safe.getThreshold(), 2, "threshold");
        (address[] memory modules,) = safe.getModulesPaginated(address(0x1), 1);
        assertEq(modules.length, 0, "no module");
        assertEq(
            address(uint160(uint256(bytes32(safe.getStorageAt(uint256(0x6c9a6c4a39284e37ed1cf53d337577d14212a4870fb976a4366c693b939918d5), 1))))),
            fallbackHandler,
            "fallback handler"
        );
        assertEq(guard.configOf(address(safe)).usdcCapPerWindow, 1_000e6, "cap as configured");
    }

    /// @dev The handler does what the campaign relies on: its honest actions execute, its attacks are
    /// refused, and it measures outflow from the balances.
    function test_theHandlersActionsExecuteAndRefuseAsDesigned() public {
        handler.pay(0, 100e6, 0); // even seed: covered exactly
        handler.payInABatch(10e6, 20e6, 30e6);
        // (bound maps into [1, CAP] as 1 + x % CAP, so 50e6 - 1 is a price of 50 USDC)
        handler.payTheTwoFacedMerchant(50e6 - 1, 0); // no refund promised: covered in full
        assertEq(handler.executed(), 3, "honest actions executed");
        handler.payTheTwoFacedMerchant(50e6 - 1, 40e6); // covered 10, takes 50 on chain
        handler.leaveAnAllowance(1e6);
        for (uint256 which = 0; which < 7; which++) {
            handler.attackTheSetup(which);
        }
        handler.pay(1, 200e6, 199e6); // odd seed: the cover is too small
        assertEq(handler.refused(), 10, "attacks refused");
        assertEq(handler.largestWindowOutflow(), 180e6, "measured from the balances");
        assertEq(handler.outflowInWindow(0), 180e6, "in the first window");
        (,, uint256 spent,) = guard.usdcWindowOf(address(safe));
        assertEq(spent, 180e6, "as the guard counted");
    }
}
