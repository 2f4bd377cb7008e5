// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Enum} from "@safe-global/safe-contracts/contracts/common/Enum.sol";
import {GuardianSafeGuard} from "../../src/safe/GuardianSafeGuard.sol";
import {SafeGuardTestBase} from "./SafeGuardTestBase.sol";

/// @notice Fuzzed amounts, covers, timings and payloads: whatever the numbers, a covered transaction
/// passes exactly when the model says, and a refused one leaves every balance as it was.
contract GuardianSafeGuardFuzzTest is SafeGuardTestBase {
    function testFuzz_aUsdcPaymentPassesExactlyWhenWithinItsCoverAndTheCap(uint256 amount, uint256 covered) public {
        amount = bound(amount, 0, SAFE_USDC);
        covered = bound(covered, 0, 2 * SAFE_USDC);
        SafeTx memory t = _usdcTransfer(safe, payee, amount);
        bytes memory signatures = _coSigned(safe, t, covered, 0);

        if (amount <= covered && amount <= CAP) {
            assertTrue(_exec(safe, t, signatures), "executed");
            assertEq(usdc.balanceOf(payee), amount, "paid");
            assertEq(usdc.balanceOf(address(safe)), SAFE_USDC - amount, "the Safe lost exactly that");
        } else {
            bytes memory reason = _execReverting(safe, t, signatures);
            bytes memory expected = amount > covered
                ? abi.encodeWithSelector(GuardianSafeGuard.UsdcOutflowExceedsCover.selector, amount, covered)
                : abi.encodeWithSelector(
                    GuardianSafeGuard.UsdcWindowCapExceeded.selector, 0, amount, CAP, 1_700_000_000 + WINDOW
                );
            assertEqBytes(reason, expected, "refused for the right reason");
            assertEq(usdc.balanceOf(address(safe)), SAFE_USDC, "nothing left");
            assertEq(usdc.balanceOf(payee), 0, "nothing arrived");
        }
    }

    function testFuzz_anEthPaymentPassesExactlyWhenWithinItsCover(uint256 amount, uint256 covered) public {
        amount = bound(amount, 0, SAFE_ETH);
        covered = bound(covered, 0, 2 * SAFE_ETH);
        SafeTx memory t = _call(safe, payee, amount, "");
        bytes memory signatures = _coSigned(safe, t, 0, covered);

        if (amount <= covered) {
            assertTrue(_exec(safe, t, signatures), "executed");
            assertEq(payee.balance, amount, "paid");
        } else {
            assertEqBytes(
                _execReverting(safe, t, signatures),
                abi.encodeWithSelector(GuardianSafeGuard.EthOutflowExceedsCover.selector, amount, covered),
                "refused"
            );
            assertEq(payee.balance, 0, "nothing arrived");
        }
        assertEq(address(safe).balance, SAFE_ETH - payee.balance, "the Safe lost what the payee got, no more");
    }

    function testFuzz_aCoverPaysExactlyUntilItLapses(uint32 elapsed) public {
        SafeTx memory t = _usdcTransfer(safe, payee, 10e6);
        uint256 validUntil = _validUntil();
        bytes memory signatures = _coSigned(safe, t, 10e6, 0);
        vm.warp(block.timestamp + elapsed);

        if (block.timestamp <= validUntil) {
            assertTrue(_exec(safe, t, signatures), "executed");
            assertEq(usdc.balanceOf(payee), 10e6, "paid while the cover was good");
        } else {
            bytes4 refusal = _selectorOf(_execReverting(safe, t, signatures));
            assertEq(refusal, GuardianSafeGuard.CoverExpired.selector, "a lapsed cover is refused as lapsed");
            assertEq(usdc.balanceOf(address(safe)), SAFE_USDC, "nothing left");
            assertEq(safe.nonce(), 0, "no nonce used");
        }
    }

    function testFuzz_anyAlteredCoverByteIsRefused(uint256 position, uint8 mask) public {
        position = bound(position, 0, 164);
        vm.assume(mask != 0);
        SafeTx memory t = _usdcTransfer(safe, payee, 10e6);
        bytes memory signatures = _coSigned(safe, t, 10e6, 0);
        uint256 flipped = signatures.length - 165 + position;
        signatures[flipped] = bytes1(uint8(signatures[flipped]) ^ mask);

        bytes4 refusal = _selectorOf(_execReverting(safe, t, signatures));
        assertTrue(
            refusal == GuardianSafeGuard.CoverMissing.selector || refusal == GuardianSafeGuard.CoverSignatureInvalid.selector,
            "an altered magic is no cover, anything else an invalid one"
        );
        assertEq(usdc.balanceOf(address(safe)), SAFE_USDC, "nothing left");
    }

    function testFuzz_coveredPaymentsNeverTakeMoreThanTheCapFromAWindow(uint256[6] memory amounts, uint256[6] memory gaps)
        public
    {
        // The model: fixed windows from the configuration time; a payment passes iff it fits what remains.
        uint256 start = 1_700_000_000;
        uint256 window;
        uint256 spent;
        for (uint256 i = 0; i < amounts.length; i++) {
            uint256 amount = bound(amounts[i], 1, CAP);
            vm.warp(block.timestamp + bound(gaps[i], 0, WINDOW));
            uint256 current = (block.timestamp - start) / WINDOW;
            if (current != window) {
                window = current;
                spent = 0;
            }
            SafeTx memory t = _usdcTransfer(safe, payee, amount);
            bytes memory signatures = _coSigned(safe, t, amount, 0);
            uint256 before = usdc.balanceOf(address(safe));
            if (spent + amount <= CAP) {
                assertTrue(_exec(safe, t, signatures), "fits the window");
                spent += amount;
            } else {
                assertEqBytes(
                    _execReverting(safe, t, signatures),
                    abi.encodeWithSelector(
                        GuardianSafeGuard.UsdcWindowCapExceeded.selector, spent, amount, CAP, start + (window + 1) * WINDOW
                    ),
                    "over the cap"
                );
                assertEq(usdc.balanceOf(address(safe)), before, "nothing left");
            }
            (uint256 guardStart,, uint256 guardSpent,) = guard.usdcWindowOf(address(safe));
            assertEq(guardStart, start + window * WINDOW, "the guard's window is the model's");
            assertEq(guardSpent, spent, "and so is what it spent");
            assertTrue(spent <= CAP, "never above the cap");
        }
    }

    function testFuzz_aMultiSendPayloadMovesNothingBeyondItsCover(bytes memory payload) public {
        SafeTx memory t = _call(safe, multiSend, 0, abi.encodeWithSignature("multiSend(bytes)", payload));
        t.operation = Enum.Operation.DelegateCall;
        bytes memory signatures = _coSigned(safe, t, 0, 0);
        vm.prank(relayer, relayer);
        (bool ok,) = address(safe).call(
            abi.encodeWithSignature(
                "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)",
                t.to,
                t.value,
                t.data,
                t.operation,
                t.safeTxGas,
                t.baseGas,
                t.gasPrice,
                t.gasToken,
                t.refundReceiver,
                signatures
            )
        );
        ok; // refused or not: with nothing covered, nothing may leave, and the setup stays
        assertEq(usdc.balanceOf(address(safe)), SAFE_USDC, "no USDC left");
        assertEq(address(safe).balance, SAFE_ETH, "no ETH left");
        _assertSetupUnchanged(safe, _owners(agent, guardian, treasury), 2);
    }

    function testFuzz_aMultiSendOfTransfersPassesExactlyWhenTheSumIsCovered(
        uint256 first,
        uint256 second,
        uint256 covered
    ) public {
        first = bound(first, 0, CAP);
        second = bound(second, 0, CAP);
        covered = bound(covered, 0, 2 * CAP);
        Call[] memory calls = new Call[](2);
        calls[0] = Call(address(usdc), 0, abi.encodeCall(usdc.transfer, (payee, first)));
        calls[1] = Call(address(usdc), 0, abi.encodeCall(usdc.transfer, (outsider, second)));
        SafeTx memory t = _multiSend(safe, calls);
        bytes memory signatures = _coSigned(safe, t, covered, 0);

        if (first + second <= covered && first + second <= CAP) {
            assertTrue(_exec(safe, t, signatures), "executed");
        } else {
            _execReverting(safe, t, signatures);
        }
        uint256 left = SAFE_USDC - usdc.balanceOf(address(safe));
        assertEq(left, usdc.balanceOf(payee) + usdc.balanceOf(outsider), "what left arrived");
        assertTrue(left <= covered && left <= CAP, "within cover and cap");
    }
}
