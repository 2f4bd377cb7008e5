// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {GuardianSafeGuard} from "../../src/safe/GuardianSafeGuard.sol";
import {ISafe} from "../../src/safe/ISafe.sol";
import {SafeGuardTestBase} from "./SafeGuardTestBase.sol";
import {DrainingModule} from "./SafeGuardAttackers.sol";

interface IMessageHashes {
    function getMessageHashForSafe(address safe, bytes memory message) external view returns (bytes32);
}

/// @notice The treasury path: which signatures count as a treasury owner's, what it may do that agent
/// and Guardian may not, and the recovery steps of contracts/README.md, each run end to end.
contract GuardianSafeGuardTreasuryTest is SafeGuardTestBase {
    event TreasuryTransactionExecuted(address indexed safe, bytes32 indexed safeTxHash, address indexed treasuryOwner);

    uint256 internal constant NEW_GUARDIAN_KEY = 0x6A4D1A5;
    uint256 internal constant NEW_AGENT_KEY = 0xA6E48;

    function test_recovery_treasuryAndAgentRemoveTheGuard() public {
        SafeTx memory t = _call(safe, address(safe), 0, abi.encodeCall(ISafe.setGuard, (address(0))));
        bytes memory signatures = _treasurySigned(safe, t, AGENT_KEY);
        vm.expectEmit(true, true, true, false, address(guard));
        emit TreasuryTransactionExecuted(address(safe), _hash(safe, t), treasury);
        _exec(safe, t, signatures);

        assertEq(_guardOf(safe), address(0), "the guard is removed");
        // The Safe is a plain 2-of-3 again: owners' signatures alone move money, no cover, no cap.
        SafeTx memory pay = _usdcTransfer(safe, payee, 2_000e6);
        _exec(safe, pay, _signatures(_hash(safe, pay), _keys(AGENT_KEY, GUARDIAN_KEY)));
        assertEq(usdc.balanceOf(payee), 2_000e6, "paid without the guard");
    }

    function test_recovery_treasuryRotatesGuardiansKey() public {
        address newGuardian = vm.addr(NEW_GUARDIAN_KEY);
        GuardianSafeGuard.SafeConfig memory config = _config(_list(treasury));
        config.guardian = newGuardian;
        Call[] memory calls = new Call[](2);
        calls[0] = Call(
            address(safe), 0, abi.encodeCall(ISafe.swapOwner, (_previousOwner(safe, guardian), guardian, newGuardian))
        );
        calls[1] = Call(address(guard), 0, abi.encodeCall(guard.configure, (config)));
        SafeTx memory rotate = _multiSend(safe, calls);
        _exec(safe, rotate, _treasurySigned(safe, rotate, AGENT_KEY));

        assertTrue(safe.isOwner(newGuardian), "new key is an owner");
        assertFalse(safe.isOwner(guardian), "old key is not");
        assertEq(guard.configOf(address(safe)).guardian, newGuardian, "the guard expects the new key's covers");

        // The old key's cover (even alongside valid owner signatures) no longer pays.
        SafeTx memory pay = _usdcTransfer(safe, payee, 10e6);
        bytes32 hash = _hash(safe, pay);
        bytes memory oldCover = bytes.concat(
            _signatures(hash, _keys(AGENT_KEY, NEW_GUARDIAN_KEY)), _coverBy(GUARDIAN_KEY, guard, safe, hash, 10e6, 0)
        );
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.CoverSignatureInvalid.selector, newGuardian, guardian));
        _exec(safe, pay, oldCover);

        bytes memory newCover = bytes.concat(
            _signatures(hash, _keys(AGENT_KEY, NEW_GUARDIAN_KEY)), _coverBy(NEW_GUARDIAN_KEY, guard, safe, hash, 10e6, 0)
        );
        _exec(safe, pay, newCover);
        assertEq(usdc.balanceOf(payee), 10e6, "the new key covers");
    }

    function test_recovery_treasuryRotatesTheAgentsKey() public {
        address newAgent = vm.addr(NEW_AGENT_KEY);
        SafeTx memory rotate = _call(
            safe, address(safe), 0, abi.encodeCall(ISafe.swapOwner, (_previousOwner(safe, agent), agent, newAgent))
        );
        _exec(safe, rotate, _treasurySigned(safe, rotate, GUARDIAN_KEY));
        assertTrue(safe.isOwner(newAgent), "new agent key is an owner");
        assertFalse(safe.isOwner(agent), "the old one is not");

        SafeTx memory pay = _usdcTransfer(safe, payee, 10e6);
        bytes32 hash = _hash(safe, pay);
        bytes memory oldAgent =
            bytes.concat(_signatures(hash, _keys(AGENT_KEY, GUARDIAN_KEY)), _cover(safe, hash, 10e6, 0));
        vm.expectRevert(errorString("GS026")); // Safe: the old key is no owner
        _exec(safe, pay, oldAgent);

        bytes memory newAgentSigned =
            bytes.concat(_signatures(hash, _keys(NEW_AGENT_KEY, GUARDIAN_KEY)), _cover(safe, hash, 10e6, 0));
        _exec(safe, pay, newAgentSigned);
        assertEq(usdc.balanceOf(payee), 10e6, "the new agent key pays with Guardian");
    }

    function test_recovery_treasurySweepsTheSafeUncapped() public {
        Call[] memory calls = new Call[](2);
        calls[0] = Call(address(usdc), 0, abi.encodeCall(usdc.transfer, (treasury, SAFE_USDC)));
        calls[1] = Call(treasury, SAFE_ETH, "");
        SafeTx memory sweep = _multiSend(safe, calls);
        _exec(safe, sweep, _treasurySigned(safe, sweep, GUARDIAN_KEY));

        assertEq(usdc.balanceOf(treasury), SAFE_USDC, "all USDC, ten times the window cap");
        assertEq(treasury.balance, SAFE_ETH, "all ETH");
        (,, uint256 spent,) = guard.usdcWindowOf(address(safe));
        assertEq(spent, 0, "treasury transactions do not use the agent's window");
        assertEq(_guardOf(safe), address(guard), "and the guard stays");
    }

    function test_aTreasuryOwnerMayCallUsdcAsItNeeds() public {
        // e.g. cancel an outstanding EIP-3009 authorization: refused on the covered path, fine here.
        SafeTx memory t = _call(safe, address(usdc), 0, abi.encodeCall(usdc.approve, (treasury, 1e6)));
        _exec(safe, t, _treasurySigned(safe, t, AGENT_KEY));
        assertEq(usdc.allowance(address(safe), treasury), 1e6, "a lasting allowance, granted by the treasury");
    }

    function test_anApprovedHashOfTheTreasuryOwnerCounts() public {
        SafeTx memory t = _call(safe, address(safe), 0, abi.encodeCall(ISafe.changeThreshold, (1)));
        bytes32 hash = _hash(safe, t);
        vm.prank(treasury);
        safe.approveHash(hash);
        bytes memory signatures = _withApproved(hash, treasury, AGENT_KEY);
        _exec(safe, t, signatures);
        assertEq(safe.getThreshold(), 1, "threshold changed by the treasury");
    }

    function test_theTreasuryOwnerExecutingItselfCounts() public {
        SafeTx memory t = _call(safe, address(safe), 0, abi.encodeCall(ISafe.changeThreshold, (3)));
        bytes32 hash = _hash(safe, t);
        // v = 1 with no approval on record: Safe accepts it only because the treasury owner is msg.sender.
        bytes memory signatures = _withApproved(hash, treasury, AGENT_KEY);
        vm.prank(treasury, treasury);
        safe.execTransaction(
            t.to, t.value, t.data, t.operation, t.safeTxGas, t.baseGas, t.gasPrice, t.gasToken, t.refundReceiver, signatures
        );
        assertEq(safe.getThreshold(), 3, "threshold changed");
    }

    function test_anEthSignSignatureOfTheTreasuryOwnerCounts() public {
        SafeTx memory t = _call(safe, address(safe), 0, abi.encodeCall(ISafe.changeThreshold, (1)));
        bytes32 hash = _hash(safe, t);
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(TREASURY_KEY, keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", hash)));
        bytes memory treasurySig = abi.encodePacked(r, s, v + 4);
        (uint8 va, bytes32 ra, bytes32 sa) = vm.sign(AGENT_KEY, hash);
        bytes memory agentSig = abi.encodePacked(ra, sa, va);
        bytes memory signatures =
            treasury < agent ? bytes.concat(treasurySig, agentSig) : bytes.concat(agentSig, treasurySig);
        _exec(safe, t, signatures);
        assertEq(safe.getThreshold(), 1, "threshold changed");
    }

    function test_aTreasurySignaturePastTheThresholdDoesNotCount() public {
        // Safe verifies only the first `threshold` signatures; a third one nobody verified is no authority.
        SafeTx memory t = _call(safe, address(safe), 0, abi.encodeCall(ISafe.setGuard, (address(0))));
        bytes32 hash = _hash(safe, t);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(TREASURY_KEY, hash);
        bytes memory signatures =
            bytes.concat(_signatures(hash, _keys(AGENT_KEY, GUARDIAN_KEY)), abi.encodePacked(r, s, v));
        vm.expectRevert(
            abi.encodeWithSelector(
                GuardianSafeGuard.TreasurySignatureRequired.selector, address(safe), ISafe.setGuard.selector
            )
        );
        _exec(safe, t, signatures);
        assertEq(_guardOf(safe), address(guard), "guard still installed");
    }

    function test_aTreasuryOwnerThatIsItselfASafeSignsByErc1271() public {
        // The treasury's own Safe (1 of 1 here) is the recovery owner; it signs with a contract
        // signature (v = 0) that Safe checks through the treasury Safe's CompatibilityFallbackHandler.
        ISafe treasurySafe = _createSafe(_list(treasury), 1, address(0), "", 21);
        ISafe guarded = _createGuardedSafe(_owners(agent, guardian, address(treasurySafe)), 2, _list(address(treasurySafe)), 22);
        _fund(guarded);

        SafeTx memory t = _call(guarded, address(guarded), 0, abi.encodeCall(ISafe.setGuard, (address(0))));
        bytes memory preimage = guarded.encodeTransactionData(
            t.to, t.value, t.data, t.operation, t.safeTxGas, t.baseGas, t.gasPrice, t.gasToken, t.refundReceiver, t.nonce
        );
        bytes32 messageHash = IMessageHashes(fallbackHandler).getMessageHashForSafe(address(treasurySafe), preimage);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(TREASURY_KEY, messageHash);
        bytes memory inner = abi.encodePacked(r, s, v);
        (uint8 va, bytes32 ra, bytes32 sa) = vm.sign(AGENT_KEY, _hash(guarded, t));
        bytes memory agentSig = abi.encodePacked(ra, sa, va);
        // The contract signature: r = its address, s = offset of its data (after both static parts), v = 0.
        bytes memory contractSig = abi.encodePacked(bytes32(uint256(uint160(address(treasurySafe)))), uint256(130), uint8(0));
        bytes memory signatures = address(treasurySafe) < agent
            ? bytes.concat(contractSig, agentSig, abi.encodePacked(uint256(65)), inner)
            : bytes.concat(agentSig, contractSig, abi.encodePacked(uint256(65)), inner);

        _exec(guarded, t, signatures);
        assertEq(_guardOf(guarded), address(0), "removed by the treasury Safe's signature");
    }

    function test_evenTheTreasuryCannotLeaveAModuleBehindWhileGuarded() public {
        DrainingModule module = new DrainingModule();
        SafeTx memory t = _call(safe, address(safe), 0, abi.encodeCall(ISafe.enableModule, (address(module))));
        bytes memory signatures = _treasurySigned(safe, t, AGENT_KEY);
        vm.expectRevert(
            abi.encodeWithSelector(GuardianSafeGuard.ModuleEnabled.selector, address(safe), address(module))
        );
        _exec(safe, t, signatures);
        assertFalse(_hasModule(safe), "no module");
    }

    function test_aTreasuryThatRemovesTheGuardMayEnableAModuleInTheSameTransaction() public {
        // Once the guard is gone its rules are no longer its to hold: the treasury has taken over.
        DrainingModule module = new DrainingModule();
        Call[] memory calls = new Call[](2);
        calls[0] = Call(address(safe), 0, abi.encodeCall(ISafe.setGuard, (address(0))));
        calls[1] = Call(address(safe), 0, abi.encodeCall(ISafe.enableModule, (address(module))));
        SafeTx memory t = _multiSend(safe, calls);
        _exec(safe, t, _treasurySigned(safe, t, AGENT_KEY));
        assertEq(_guardOf(safe), address(0), "guard removed");
        assertTrue(safe.isModuleEnabled(address(module)), "module enabled");
    }

    function test_aTreasuryThatChangesTheFallbackHandlerReconfiguresInTheSameTransaction() public {
        address newHandler = _deployArtifact("handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json");
        SafeTx memory alone = _call(safe, address(safe), 0, abi.encodeCall(ISafe.setFallbackHandler, (newHandler)));
        bytes memory signatures = _treasurySigned(safe, alone, AGENT_KEY);
        vm.expectRevert(
            abi.encodeWithSelector(GuardianSafeGuard.FallbackHandlerChanged.selector, fallbackHandler, newHandler)
        );
        _exec(safe, alone, signatures);
        assertEq(_fallbackHandlerOf(safe), fallbackHandler, "unchanged");

        Call[] memory calls = new Call[](2);
        calls[0] = Call(address(safe), 0, abi.encodeCall(ISafe.setFallbackHandler, (newHandler)));
        calls[1] = Call(address(guard), 0, abi.encodeCall(guard.configure, (_config(_list(treasury)))));
        SafeTx memory both = _multiSend(safe, calls);
        _exec(safe, both, _treasurySigned(safe, both, AGENT_KEY));
        assertEq(_fallbackHandlerOf(safe), newHandler, "changed");
        assertEq(guard.fallbackHandlerOf(address(safe)), newHandler, "and recorded by the guard");
    }

    function test_aReconfigurationKeepsWhatTheWindowHasSpent() public {
        SafeTx memory pay = _usdcTransfer(safe, payee, 800e6);
        _exec(safe, pay, _coSigned(safe, pay, 800e6, 0));

        GuardianSafeGuard.SafeConfig memory lower = _config(_list(treasury));
        lower.usdcCapPerWindow = 500e6;
        SafeTx memory t = _call(safe, address(guard), 0, abi.encodeCall(guard.configure, (lower)));
        _exec(safe, t, _treasurySigned(safe, t, AGENT_KEY));

        (uint256 start,, uint256 spent, uint256 remaining) = guard.usdcWindowOf(address(safe));
        assertEq(start, 1_700_000_000, "same window");
        assertEq(spent, 800e6, "spent kept");
        assertEq(remaining, 0, "a lowered cap below what was spent leaves nothing");
        SafeTx memory more = _usdcTransfer(safe, payee, 1);
        bytes memory signatures = _coSigned(safe, more, 1, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                GuardianSafeGuard.UsdcWindowCapExceeded.selector, 800e6, 1, 500e6, 1_700_000_000 + WINDOW
            )
        );
        _exec(safe, more, signatures);
    }

    function test_withoutTreasuryOwnersTheGuardCanNeverBeRemoved() public {
        ISafe locked = _createGuardedSafe(_owners(agent, guardian, treasury), 2, new address[](0), 23);
        SafeTx memory t = _call(locked, address(locked), 0, abi.encodeCall(ISafe.setGuard, (address(0))));
        // Even the owner who would have been the treasury is just an owner here.
        bytes memory signatures = _treasurySigned(locked, t, AGENT_KEY);
        vm.expectRevert(
            abi.encodeWithSelector(
                GuardianSafeGuard.TreasurySignatureRequired.selector, address(locked), ISafe.setGuard.selector
            )
        );
        _exec(locked, t, signatures);
        assertEq(_guardOf(locked), address(guard), "permanent");
    }

    // ------------------------------------------------------------------------------------------------

    /// @dev `approver`'s approved-hash entry (v = 1, r = its address) and `otherKey`'s ECDSA, in owner order.
    function _withApproved(bytes32 hash, address approver, uint256 otherKey) internal pure returns (bytes memory) {
        bytes memory approved = abi.encodePacked(bytes32(uint256(uint160(approver))), bytes32(0), uint8(1));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(otherKey, hash);
        bytes memory other = abi.encodePacked(r, s, v);
        return approver < vm.addr(otherKey) ? bytes.concat(approved, other) : bytes.concat(other, approved);
    }
}
