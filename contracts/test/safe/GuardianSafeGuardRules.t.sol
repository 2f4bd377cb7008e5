// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Enum} from "@safe-global/safe-contracts/contracts/common/Enum.sol";
import {GuardianSafeGuard} from "../../src/safe/GuardianSafeGuard.sol";
import {ISafe} from "../../src/safe/ISafe.sol";
import {PaymentRouter} from "../../src/PaymentRouter.sol";
import {SafeGuardTestBase} from "./SafeGuardTestBase.sol";
import {DrainingModule, GuardSlotWiper, Reentrant, ThresholdLoweringMultiSend} from "./SafeGuardAttackers.sol";

interface IMessageHashes {
    function getMessageHashForSafe(address safe, bytes memory message) external view returns (bytes32);
}

/// @notice The hard rules, each with the attack it stops: agent and Guardian together (with a valid
/// cover) try to change what only the treasury may change, to run foreign code, to leave an allowance
/// behind, to get between the guard's check and its after-check. Every test reads the Safe back.
contract GuardianSafeGuardRulesTest is SafeGuardTestBase {
    function test_agentAndGuardianCannotRemoveTheGuard() public {
        _expectTreasuryRequired(address(safe), abi.encodeCall(ISafe.setGuard, (address(0))));
    }

    function test_agentAndGuardianCannotSwapTheGuardForAnother() public {
        GuardianSafeGuard lenient = new GuardianSafeGuard();
        _expectTreasuryRequired(address(safe), abi.encodeCall(ISafe.setGuard, (address(lenient))));
    }

    function test_agentAndGuardianCannotAddAnOwner() public {
        _expectTreasuryRequired(address(safe), abi.encodeCall(ISafe.addOwnerWithThreshold, (outsider, 2)));
    }

    function test_agentAndGuardianCannotRemoveTheTreasuryOwner() public {
        _expectTreasuryRequired(
            address(safe), abi.encodeCall(ISafe.removeOwner, (_previousOwner(safe, treasury), treasury, 2))
        );
    }

    function test_agentAndGuardianCannotSwapTheTreasuryOwner() public {
        _expectTreasuryRequired(
            address(safe), abi.encodeCall(ISafe.swapOwner, (_previousOwner(safe, treasury), treasury, outsider))
        );
    }

    function test_agentAndGuardianCannotChangeTheThreshold() public {
        _expectTreasuryRequired(address(safe), abi.encodeCall(ISafe.changeThreshold, (1)));
    }

    function test_agentAndGuardianCannotEnableAModule() public {
        DrainingModule module = new DrainingModule();
        _expectTreasuryRequired(address(safe), abi.encodeCall(ISafe.enableModule, (address(module))));
    }

    function test_agentAndGuardianCannotSwapTheFallbackHandler() public {
        _expectTreasuryRequired(address(safe), abi.encodeCall(ISafe.setFallbackHandler, (address(usdc))));
    }

    function test_agentAndGuardianCannotReconfigureTheGuard() public {
        GuardianSafeGuard.SafeConfig memory generous = _config(_list(treasury));
        generous.usdcCapPerWindow = type(uint128).max;
        _expectTreasuryRequired(address(guard), abi.encodeCall(guard.configure, (generous)));
        assertEq(guard.configOf(address(safe)).usdcCapPerWindow, CAP, "the cap is unchanged");
    }

    function test_evenAnEmptyCallToTheSafeItselfNeedsTheTreasury() public {
        SafeTx memory t = _call(safe, address(safe), 1 ether, "");
        bytes memory signatures = _coSigned(safe, t, 0, 1 ether);
        vm.expectRevert(
            abi.encodeWithSelector(GuardianSafeGuard.TreasurySignatureRequired.selector, address(safe), bytes4(0))
        );
        _exec(safe, t, signatures);
        assertEq(safe.nonce(), 0, "nothing executed");
    }

    function test_aSelfCallHiddenInAMultiSendIsRefused() public {
        Call[] memory calls = new Call[](2);
        calls[0] = Call(address(usdc), 0, abi.encodeCall(usdc.transfer, (payee, 1e6)));
        calls[1] = Call(address(safe), 0, abi.encodeCall(ISafe.setGuard, (address(0))));
        SafeTx memory t = _multiSend(safe, calls);
        bytes memory signatures = _coSigned(safe, t, 1e6, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                GuardianSafeGuard.TreasurySignatureRequired.selector, address(safe), ISafe.setGuard.selector
            )
        );
        _exec(safe, t, signatures);
        _assertUntouched();
    }

    function test_aGuardCallHiddenInAMultiSendIsRefused() public {
        Call[] memory calls = new Call[](1);
        calls[0] = Call(address(guard), 0, abi.encodeCall(guard.configure, (_config(new address[](0)))));
        SafeTx memory t = _multiSend(safe, calls);
        bytes memory signatures = _coSigned(safe, t, 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                GuardianSafeGuard.TreasurySignatureRequired.selector, address(guard), guard.configure.selector
            )
        );
        _exec(safe, t, signatures);
        assertEq(guard.configOf(address(safe)).treasuryOwners.length, 1, "the treasury owner is still configured");
    }

    function test_aDelegateCallToAnyContractButMultiSendIsRefused() public {
        GuardSlotWiper wiper = new GuardSlotWiper();
        SafeTx memory t = _call(safe, address(wiper), 0, abi.encodeCall(wiper.wipe, ()));
        t.operation = Enum.Operation.DelegateCall;
        bytes memory signatures = _coSigned(safe, t, 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(GuardianSafeGuard.DelegateCallNotAllowed.selector, address(wiper), multiSend)
        );
        _exec(safe, t, signatures);
        _assertUntouched();
    }

    function test_aDelegateCallToMultiSendMustBeAMultiSend() public {
        SafeTx memory t = _call(safe, multiSend, 0, abi.encodeWithSignature("somethingElse()"));
        t.operation = Enum.Operation.DelegateCall;
        bytes memory signatures = _coSigned(safe, t, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.MalformedMultiSend.selector, 0));
        _exec(safe, t, signatures);
        _assertUntouched();
    }

    function test_aMultiSendInAnyButItsCanonicalEncodingIsRefused() public {
        bytes memory transfer = abi.encodeCall(usdc.transfer, (payee, 1e6));
        bytes memory entry = abi.encodePacked(uint8(0), address(usdc), uint256(0), transfer.length, transfer);
        // The bytes argument placed one word further than usual: valid ABI, but not what the guard reads.
        bytes memory shifted =
            abi.encodePacked(bytes4(0x8d80ff0a), uint256(0x40), uint256(0), entry.length, entry, new bytes(15));
        // A length that claims more than the calldata holds.
        bytes memory overlong = abi.encodePacked(bytes4(0x8d80ff0a), uint256(0x20), entry.length + 1, entry);
        bytes[2] memory payloads = [shifted, overlong];
        for (uint256 i = 0; i < payloads.length; i++) {
            SafeTx memory t = _call(safe, multiSend, 0, payloads[i]);
            t.operation = Enum.Operation.DelegateCall;
            bytes memory signatures = _coSigned(safe, t, type(uint256).max, 0);
            vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.MalformedMultiSend.selector, 0));
            _exec(safe, t, signatures);
        }
        _assertUntouched();
    }

    function test_aMultiSendEntryThatDelegateCallsIsRefused() public {
        GuardSlotWiper wiper = new GuardSlotWiper();
        bytes memory inner = abi.encodeCall(wiper.wipe, ());
        bytes memory packed = abi.encodePacked(uint8(1), address(wiper), uint256(0), inner.length, inner);
        SafeTx memory t = _rawMultiSend(packed);
        bytes memory signatures = _coSigned(safe, t, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.MalformedMultiSend.selector, 0));
        _exec(safe, t, signatures);
        _assertUntouched();
    }

    function test_aMultiSendThatDoesNotTileExactlyIsRefused() public {
        bytes memory transfer = abi.encodeCall(usdc.transfer, (payee, 1e6));
        bytes memory entry = abi.encodePacked(uint8(0), address(usdc), uint256(0), transfer.length, transfer);

        // An entry whose declared data runs past the end (MultiSendCallOnly would read beyond it).
        bytes memory truncated = abi.encodePacked(entry, uint8(0), address(usdc), uint256(0), uint256(68), bytes4(0));
        _expectMalformed(truncated, entry.length);
        // A short tail MultiSendCallOnly would skip without executing.
        _expectMalformed(abi.encodePacked(entry, bytes20(address(safe))), entry.length);
        _assertUntouched();
    }

    function test_aChangeThatSlipsPastTheInspectionIsCaughtAfterExecution() public {
        // Defence in depth: with a wrong contract configured as MultiSendCallOnly, a DELEGATECALL the
        // inspection accepts rewrites the threshold; the setup hash compared after execution refuses it.
        ThresholdLoweringMultiSend wrong = new ThresholdLoweringMultiSend();
        GuardianSafeGuard.SafeConfig memory config = _config(_list(treasury));
        config.multiSendCallOnly = address(wrong);
        ISafe misconfigured = _createGuardedSafe(_owners(agent, guardian, treasury), 2, _list(treasury), 31);
        SafeTx memory reconfigure = _call(misconfigured, address(guard), 0, abi.encodeCall(guard.configure, (config)));
        _exec(misconfigured, reconfigure, _treasurySigned(misconfigured, reconfigure, AGENT_KEY));

        SafeTx memory t = _call(misconfigured, address(wrong), 0, abi.encodeWithSignature("multiSend(bytes)", ""));
        t.operation = Enum.Operation.DelegateCall;
        bytes memory signatures = _coSigned(misconfigured, t, 0, 0);
        bytes memory reason = _execReverting(misconfigured, t, signatures);
        assertEq(_selectorOf(reason), GuardianSafeGuard.SafeSetupChanged.selector, "caught after execution");
        assertEq(misconfigured.getThreshold(), 2, "threshold unchanged");
    }

    function test_aMultiSendIsJudgedAsAWhole() public {
        Call[] memory calls = new Call[](3);
        calls[0] = Call(address(usdc), 0, abi.encodeCall(usdc.transfer, (payee, 60e6)));
        calls[1] = Call(address(usdc), 0, abi.encodeCall(usdc.transfer, (outsider, 50e6)));
        calls[2] = Call(payee, 0.2 ether, "");
        SafeTx memory t = _multiSend(safe, calls);

        bytes memory tooLittle = _coSigned(safe, t, 100e6, 0.2 ether);
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.UsdcOutflowExceedsCover.selector, 110e6, 100e6));
        _exec(safe, t, tooLittle);
        _assertUntouched();

        _exec(safe, t, _coSigned(safe, t, 110e6, 0.2 ether));
        assertEq(usdc.balanceOf(payee), 60e6, "first payee");
        assertEq(usdc.balanceOf(outsider), 50e6, "second payee");
        assertEq(payee.balance, 0.2 ether, "ETH too");
        (,, uint256 spent,) = guard.usdcWindowOf(address(safe));
        assertEq(spent, 110e6, "the batch counts once, in full");
    }

    function test_usdcCallsOtherThanTransferAndApproveAreRefused() public {
        _expectUsdcRefused(
            abi.encodeWithSignature("transferFrom(address,address,uint256)", address(safe), payee, 1e6)
        );
        _expectUsdcRefused(
            abi.encodeWithSignature(
                "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)",
                address(safe),
                payee,
                1e6,
                0,
                type(uint256).max,
                bytes32(0),
                ""
            )
        );
        _expectUsdcRefused(
            abi.encodeWithSignature(
                "permit(address,address,uint256,uint256,bytes)", address(safe), payee, 1e6, type(uint256).max, ""
            )
        );
        _expectUsdcRefused(abi.encodeWithSignature("increaseAllowance(address,uint256)", payee, 1e6));
        // transfer with a trailing word the token ignores and the guard cannot vouch for
        _expectUsdcRefused(abi.encodePacked(abi.encodeCall(usdc.transfer, (payee, 1e6)), uint256(1)));
        // transfer whose address word carries dirty upper bytes
        _expectUsdcRefused(
            abi.encodePacked(usdc.transfer.selector, bytes32(uint256(uint160(payee)) | (1 << 200)), uint256(1e6))
        );
        _expectUsdcRefused(""); // no function at all
        _assertUntouched();
    }

    function test_anApproveThatOutlivesTheTransactionIsRefused() public {
        SafeTx memory t = _call(safe, address(usdc), 0, abi.encodeCall(usdc.approve, (payee, 500e6)));
        bytes memory signatures = _coSigned(safe, t, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.UsdcAllowanceLeft.selector, payee, 500e6));
        _exec(safe, t, signatures);
        assertEq(usdc.allowance(address(safe), payee), 0, "no allowance granted");
        _assertUntouched();
    }

    function test_anApproveUsedUpInTheSameBatchPasses() public {
        PaymentRouter router = new PaymentRouter();
        address[] memory recipients = new address[](2);
        recipients[0] = payee;
        recipients[1] = outsider;
        uint256[] memory amounts = new uint256[](2);
        amounts[0] = 30e6;
        amounts[1] = 20e6;
        Call[] memory calls = new Call[](2);
        calls[0] = Call(address(usdc), 0, abi.encodeCall(usdc.approve, (address(router), 50e6)));
        calls[1] = Call(address(router), 0, abi.encodeCall(router.payMany, (address(usdc), recipients, amounts)));
        SafeTx memory t = _multiSend(safe, calls);

        _exec(safe, t, _coSigned(safe, t, 50e6, 0));

        assertEq(usdc.allowance(address(safe), address(router)), 0, "the allowance was used up");
        assertEq(usdc.balanceOf(payee), 30e6, "payee");
        assertEq(usdc.balanceOf(outsider), 20e6, "second payee");
        assertEq(usdc.balanceOf(address(safe)), SAFE_USDC - 50e6, "the Safe paid 50");
    }

    function test_anApproveLeftOverAfterABatchIsRefused() public {
        PaymentRouter router = new PaymentRouter();
        address[] memory recipients = new address[](1);
        recipients[0] = payee;
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = 30e6;
        Call[] memory calls = new Call[](2);
        calls[0] = Call(address(usdc), 0, abi.encodeCall(usdc.approve, (address(router), 50e6)));
        calls[1] = Call(address(router), 0, abi.encodeCall(router.payMany, (address(usdc), recipients, amounts)));
        SafeTx memory t = _multiSend(safe, calls);
        bytes memory signatures = _coSigned(safe, t, 50e6, 0);

        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.UsdcAllowanceLeft.selector, address(router), 20e6));
        _exec(safe, t, signatures);
        _assertUntouched();
    }

    function test_tooManyApprovalsAreRefused() public {
        Call[] memory calls = new Call[](9);
        for (uint256 i = 0; i < 9; i++) {
            // forge-lint: disable-next-line(unsafe-typecast) -- 0x1000 + i < 2^160
            calls[i] = Call(address(usdc), 0, abi.encodeCall(usdc.approve, (address(uint160(0x1000 + i)), 0)));
        }
        SafeTx memory t = _multiSend(safe, calls);
        bytes memory signatures = _coSigned(safe, t, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.TooManyApprovals.selector, 8));
        _exec(safe, t, signatures);
        _assertUntouched();
    }

    function test_aModuleThatAppearsStopsEveryTransaction() public {
        // However it got there (the guard lets no transaction enable one), a module would bypass the
        // guard: Safe 1.4.1 never asks the guard about module transactions.
        DrainingModule module = new DrainingModule();
        vm.store(address(safe), _moduleSlot(SENTINEL), bytes32(uint256(uint160(address(module)))));
        vm.store(address(safe), _moduleSlot(address(module)), bytes32(uint256(uint160(SENTINEL))));
        assertTrue(safe.isModuleEnabled(address(module)), "module present");

        SafeTx memory t = _usdcTransfer(safe, payee, 1e6);
        bytes memory signatures = _coSigned(safe, t, 1e6, 0);
        vm.expectRevert(
            abi.encodeWithSelector(GuardianSafeGuard.ModuleEnabled.selector, address(safe), address(module))
        );
        _exec(safe, t, signatures);

        // Why it matters: the module moves money without any signature and without the guard.
        module.drain(safe, address(usdc), outsider, 5_000e6);
        assertEq(usdc.balanceOf(outsider), 5_000e6, "a module bypasses the guard entirely");
    }

    function test_aNestedSafeTransactionIsRefused() public {
        Reentrant reentrant = new Reentrant();
        // The inner transaction is fully co-signed and covered, for the nonce it will meet.
        SafeTx memory inner = _usdcTransfer(safe, payee, 500e6);
        inner.nonce = 1;
        reentrant.prepare(inner.to, inner.value, inner.data, _coSigned(safe, inner, 500e6, 0));

        // Whatever hash it claims for the outer transaction, the guard keys its state by caller.
        bytes32 claimed = keccak256("the outer transaction");
        SafeTx memory outer = _call(safe, address(reentrant), 0, abi.encodeCall(reentrant.attack, (safe, guard, claimed)));
        bytes32 outerHash = _hash(safe, outer);
        _exec(safe, outer, _coSigned(safe, outer, 0, 0));

        assertFalse(reentrant.nestedExecuted(), "the nested transaction did not run");
        assertEqBytes(
            reentrant.nestedRevert(),
            abi.encodeWithSelector(GuardianSafeGuard.NestedSafeTransaction.selector, address(safe), outerHash),
            "refused while the outer one is in flight"
        );
        assertEqBytes(
            reentrant.afterExecutionRevert(),
            abi.encodeWithSelector(
                GuardianSafeGuard.NoSafeTransactionInFlight.selector, address(reentrant), claimed
            ),
            "nobody but the Safe can close the Safe's transaction"
        );
        assertEq(usdc.balanceOf(payee), 0, "nothing paid");
        assertEq(safe.nonce(), 1, "only the outer transaction used a nonce");
    }

    function test_twoSafeTransactionsOneAfterTheOtherInOneEthereumTransaction() public {
        // Transient state is cleared after each: a relayer batching them is not a nesting.
        SafeTx memory first = _usdcTransfer(safe, payee, 10e6);
        bytes memory firstSignatures = _coSigned(safe, first, 10e6, 0);
        SafeTx memory second = _usdcTransfer(safe, payee, 20e6);
        second.nonce = 1;
        bytes memory secondSignatures = _coSigned(safe, second, 20e6, 0);
        _exec(safe, first, firstSignatures);
        _exec(safe, second, secondSignatures);
        assertEq(usdc.balanceOf(payee), 30e6, "both paid");
    }

    function test_knownLimit_aSafeMessageCoSignedByAgentAndGuardianMovesUsdcWithoutTheGuard() public {
        // CompatibilityFallbackHandler answers ERC-1271 for the Safe with the owners' signatures over a
        // SafeMessage; USDC (FiatToken v2.2, and TestUsdc) accepts ERC-1271 for EIP-3009. No Safe
        // transaction runs, so no guard is asked. This is why Guardian never co-signs a SafeMessage
        // (contracts/README.md): its signature there would be worth the whole Safe.
        bytes32 nonce = keccak256("bypass");
        bytes32 structHash = keccak256(
            abi.encode(
                usdc.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), address(safe), outsider, 5_000e6, 0, type(uint256).max, nonce
            )
        );
        bytes32 digest = keccak256(abi.encodePacked(hex"1901", usdc.DOMAIN_SEPARATOR(), structHash));
        bytes32 messageHash = IMessageHashes(fallbackHandler).getMessageHashForSafe(address(safe), abi.encode(digest));
        bytes memory ownersOverMessage = _signatures(messageHash, _keys(AGENT_KEY, GUARDIAN_KEY));

        usdc.transferWithAuthorization(
            address(safe), outsider, 5_000e6, 0, type(uint256).max, nonce, ownersOverMessage
        );

        assertEq(usdc.balanceOf(outsider), 5_000e6, "moved past the guard's cap and cover");
        (,, uint256 spent,) = guard.usdcWindowOf(address(safe));
        assertEq(spent, 0, "the guard never saw it");
    }

    // ------------------------------------------------------------------------------------------------

    /// @dev Agent and Guardian co-sign, with a valid cover, a call to `target`; the guard refuses it.
    function _expectTreasuryRequired(address target, bytes memory data) internal {
        address[] memory owners = safe.getOwners();
        SafeTx memory t = _call(safe, target, 0, data);
        bytes memory signatures = _coSigned(safe, t, type(uint256).max, type(uint256).max);
        bytes4 selector;
        assembly {
            selector := and(mload(add(data, 0x20)), shl(224, 0xffffffff))
        }
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.TreasurySignatureRequired.selector, target, selector));
        _exec(safe, t, signatures);
        _assertSetupUnchanged(safe, owners, 2);
        assertEq(safe.nonce(), 0, "nothing executed");
    }

    function _expectUsdcRefused(bytes memory data) internal {
        SafeTx memory t = _call(safe, address(usdc), 0, data);
        bytes memory signatures = _coSigned(safe, t, type(uint256).max, 0);
        bytes4 selector;
        if (data.length >= 4) {
            assembly {
                selector := and(mload(add(data, 0x20)), shl(224, 0xffffffff))
            }
        }
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.UsdcCallNotAllowed.selector, selector, data.length));
        _exec(safe, t, signatures);
    }

    function _rawMultiSend(bytes memory packed) internal view returns (SafeTx memory t) {
        t = _call(safe, multiSend, 0, abi.encodeWithSignature("multiSend(bytes)", packed));
        t.operation = Enum.Operation.DelegateCall;
    }

    function _expectMalformed(bytes memory packed, uint256 offset) internal {
        SafeTx memory t = _rawMultiSend(packed);
        bytes memory signatures = _coSigned(safe, t, type(uint256).max, 0);
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.MalformedMultiSend.selector, offset));
        _exec(safe, t, signatures);
    }

    /// @dev ModuleManager's `modules` mapping is the Safe's storage slot 1 (slot 0 is the singleton).
    function _moduleSlot(address key) internal pure returns (bytes32) {
        return keccak256(abi.encode(key, uint256(1)));
    }

    function _assertUntouched() internal view {
        _assertSetupUnchanged(safe, _owners(agent, guardian, treasury), 2);
        assertEq(usdc.balanceOf(address(safe)), SAFE_USDC, "the Safe kept its USDC");
        assertEq(address(safe).balance, SAFE_ETH, "the Safe kept its ETH");
        assertEq(safe.nonce(), 0, "nothing executed");
    }
}
