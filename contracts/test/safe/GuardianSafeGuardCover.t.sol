// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {GuardianSafeGuard} from "../../src/safe/GuardianSafeGuard.sol";
import {ISafe} from "../../src/safe/ISafe.sol";
import {IErc20Transfer, TwoFacedMerchant} from "../../src/attacks/TwoFacedMerchant.sol";
import {SafeGuardTestBase} from "./SafeGuardTestBase.sol";

/// @notice The covered path: what Guardian's cover lets leave the Safe, the window cap behind it, and
/// every way to get a cover to pay for something it was not signed for.
contract GuardianSafeGuardCoverTest is SafeGuardTestBase {
    event CoveredTransactionExecuted(
        address indexed safe, bytes32 indexed safeTxHash, uint256 usdcOut, uint256 ethOut, uint256 spentInWindow
    );

    uint256 internal constant SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    function test_agentAndGuardianPayWithinTheCover() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 100e6);
        bytes memory signatures = _coSigned(safe, t, 100e6, 0);
        bytes32 hash = _hash(safe, t);

        // The event carries the Safe's own transaction hash: the guard computed the same one.
        vm.expectEmit(true, true, false, true, address(guard));
        emit CoveredTransactionExecuted(address(safe), hash, 100e6, 0, 100e6);
        assertTrue(_exec(safe, t, signatures), "executed");

        assertEq(usdc.balanceOf(payee), 100e6, "payee paid");
        assertEq(usdc.balanceOf(address(safe)), SAFE_USDC - 100e6, "the Safe paid exactly that");
        assertEq(address(safe).balance, SAFE_ETH, "no ETH left");
        assertEq(safe.nonce(), 1, "nonce used");
        (,, uint256 spent, uint256 remaining) = guard.usdcWindowOf(address(safe));
        assertEq(spent, 100e6, "counted in the window");
        assertEq(remaining, CAP - 100e6, "remaining");
    }

    function test_theSafeAcceptsTheAgentAndGuardianSignaturesAndIgnoresTheCover() public view {
        SafeTx memory t = _usdcTransfer(safe, payee, 100e6);
        bytes32 hash = _hash(safe, t);
        bytes memory signatures = _coSigned(safe, t, 100e6, 0);
        bytes memory preimage = safe.encodeTransactionData(
            t.to, t.value, t.data, t.operation, t.safeTxGas, t.baseGas, t.gasPrice, t.gasToken, t.refundReceiver, t.nonce
        );
        assertEq(keccak256(preimage), hash, "getTransactionHash is the hash of the EIP-712 preimage");
        // Reverts unless both signatures verify; the 165 cover bytes after them are not read.
        safe.checkSignatures(hash, preimage, signatures);
        assertEq(signatures.length, 2 * 65 + 165, "two signatures and one cover");
    }

    function test_theCoverDigestIsTheDocumentedEncoding() public view {
        bytes32 hash = keccak256("some Safe transaction");
        uint256 validUntil = block.timestamp + 600;
        assertEq(
            guard.coverDigest(address(safe), hash, 7e6, 3 ether, validUntil),
            keccak256(
                abi.encode(
                    address(guard), address(safe), block.chainid, hash, uint256(7e6), uint256(3 ether), validUntil
                )
            ),
            "keccak256(abi.encode(guard, safe, chainid, safeTxHash, maxTokenOut, maxEthOut, validUntil))"
        );
    }

    function test_theCoverDigestAndBlobMatchThePublishedVector() public {
        // The vector of contracts/README.md, also reproduced in Java by SafeCoverTest.
        address vectorGuard = 0x1111111111111111111111111111111111111111;
        vm.etch(vectorGuard, address(guard).code);
        vm.chainId(8453);
        bytes32 digest = GuardianSafeGuard(vectorGuard).coverDigest(
            0x2222222222222222222222222222222222222222,
            bytes32(uint256(type(uint256).max / 255 * 0x33)),
            12_500_000,
            1e15,
            1_767_225_600
        );
        assertEq(digest, 0x4222c2f7d5a84a588d587dc615f90fe1c4e1b74930572332e8cc3192177b141c, "digest");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(0xc0ffe, digest);
        assertEqBytes(
            abi.encodePacked(bytes4(0x47534332), uint256(12_500_000), uint256(1e15), uint256(1_767_225_600), r, s, v),
            hex"47534332"
            hex"0000000000000000000000000000000000000000000000000000000000bebc20"
            hex"00000000000000000000000000000000000000000000000000038d7ea4c68000"
            hex"000000000000000000000000000000000000000000000000000000006955b900"
            hex"e8da1e27776f7d5d98726c7db45881728cacf3f787df899a2ba1ed2e1db557a8"
            hex"4d50513b7a1cb5a22d010f050644e7e7954bf49d83ee9c80b6697f33255158a1"
            hex"1b",
            "the 165-byte cover blob"
        );
        assertEq(ecrecover(digest, v, r, s), 0x5c9b9F48fF0F604480cA5A65F78d46E3aC514b93, "signed by the vector key");
    }

    function test_aUsdcPaymentAboveTheCoverReverts() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 100e6);
        bytes memory signatures = _coSigned(safe, t, 50e6, 0);

        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.UsdcOutflowExceedsCover.selector, 100e6, 50e6));
        _exec(safe, t, signatures);

        _assertNothingMoved();
    }

    function test_anEthPaymentAboveTheCoverReverts() public {
        SafeTx memory t = _call(safe, payee, 1 ether, "");
        bytes memory signatures = _coSigned(safe, t, 0, 0.5 ether);

        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.EthOutflowExceedsCover.selector, 1 ether, 0.5 ether));
        _exec(safe, t, signatures);

        _assertNothingMoved();
        assertEq(payee.balance, 0, "payee got no ETH");
    }

    function test_anEthPaymentWithinTheCoverPasses() public {
        SafeTx memory t = _call(safe, payee, 1 ether, "");
        _exec(safe, t, _coSigned(safe, t, 0, 1 ether));
        assertEq(payee.balance, 1 ether, "paid");
        assertEq(address(safe).balance, SAFE_ETH - 1 ether, "the Safe paid it");
        (,, uint256 spent,) = guard.usdcWindowOf(address(safe));
        assertEq(spent, 0, "ETH is not USDC: the window is untouched");
    }

    function test_theWindowCapHoldsAcrossCoveredTransactionsAndResetsWithTheNextWindow() public {
        _pay(600e6);
        SafeTx memory t = _usdcTransfer(safe, payee, 500e6);
        bytes memory signatures = _coSigned(safe, t, 500e6, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                GuardianSafeGuard.UsdcWindowCapExceeded.selector, 600e6, 500e6, CAP, 1_700_000_000 + WINDOW
            )
        );
        _exec(safe, t, signatures);
        assertEq(usdc.balanceOf(payee), 600e6, "only the first payment left");

        _pay(400e6); // exactly the rest of the cap
        (,, uint256 spent, uint256 remaining) = guard.usdcWindowOf(address(safe));
        assertEq(spent, CAP, "cap reached");
        assertEq(remaining, 0, "nothing remains");

        vm.warp(1_700_000_000 + WINDOW - 1);
        t = _usdcTransfer(safe, payee, 1);
        signatures = _coSigned(safe, t, 1, 0);
        vm.expectRevert(
            abi.encodeWithSelector(GuardianSafeGuard.UsdcWindowCapExceeded.selector, CAP, 1, CAP, 1_700_000_000 + WINDOW)
        );
        _exec(safe, t, signatures);

        vm.warp(1_700_000_000 + 3 * WINDOW + 5); // windows stay aligned to the first one
        _pay(500e6);
        (uint256 start, uint256 resetsAt, uint256 spentNow,) = guard.usdcWindowOf(address(safe));
        assertEq(start, 1_700_000_000 + 3 * WINDOW, "window start aligned");
        assertEq(resetsAt, 1_700_000_000 + 4 * WINDOW, "resets at the next boundary");
        assertEq(spentNow, 500e6, "a fresh window");
        assertEq(usdc.balanceOf(payee), 1_500e6, "all three payments arrived");
    }

    function test_aCoverAboveTheCapCannotTakeMoreThanTheCap() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 1_500e6);
        bytes memory signatures = _coSigned(safe, t, 5_000e6, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                GuardianSafeGuard.UsdcWindowCapExceeded.selector, 0, 1_500e6, CAP, 1_700_000_000 + WINDOW
            )
        );
        _exec(safe, t, signatures);
        _assertNothingMoved();
    }

    function test_moneyThatArrivesDoesNotRefillTheWindow() public {
        _pay(CAP);
        usdc.mint(address(safe), 5_000e6);
        SafeTx memory t = _usdcTransfer(safe, payee, 1e6);
        bytes memory signatures = _coSigned(safe, t, 1e6, 0);
        vm.expectRevert(
            abi.encodeWithSelector(GuardianSafeGuard.UsdcWindowCapExceeded.selector, CAP, 1e6, CAP, 1_700_000_000 + WINDOW)
        );
        _exec(safe, t, signatures);
        assertEq(usdc.balanceOf(address(safe)), SAFE_USDC - CAP + 5_000e6, "the inflow stays");
    }

    function test_withoutACoverAgentAndGuardianCannotPay() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 1e6);
        bytes memory signatures = _signatures(_hash(safe, t), _keys(AGENT_KEY, GUARDIAN_KEY));
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.CoverMissing.selector));
        _exec(safe, t, signatures);
        _assertNothingMoved();
    }

    function test_aCoverIsGoodUpToAndIncludingItsValidUntil() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 1e6);
        bytes memory signatures = _coSigned(safe, t, 1e6, 0);
        vm.warp(block.timestamp + COVER_LIFETIME); // the block whose timestamp is validUntil
        assertTrue(_exec(safe, t, signatures), "executed");
        assertEq(usdc.balanceOf(payee), 1e6, "paid within the cover's lifetime");
    }

    function test_aLapsedCoverIsRefusedAndNothingMoves() public {
        // The relayed execution reverted (or was replaced) and Guardian released what it held once the cover
        // lapsed; the agent keeps the co-signed bytes and tries them later.
        SafeTx memory t = _usdcTransfer(safe, payee, 1e6);
        uint256 validUntil = _validUntil();
        bytes memory signatures = _coSigned(safe, t, 1e6, 0);
        vm.warp(validUntil + 1);
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.CoverExpired.selector, validUntil, validUntil + 1));
        _exec(safe, t, signatures);
        _assertNothingMoved();
        assertEq(safe.nonce(), 0, "the lapsed cover used no nonce");
    }

    function test_aCoverWhoseDeadlineTheAgentExtendedIsRefused() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 1e6);
        bytes memory signatures = _coSigned(safe, t, 1e6, 0);
        uint256 extended = block.timestamp + 365 days;
        // validUntil is bytes 68..100 of the cover.
        uint256 offset = signatures.length - 165 + 68;
        bytes memory word = abi.encodePacked(extended);
        for (uint256 i = 0; i < 32; i++) {
            signatures[offset + i] = word[i];
        }
        vm.warp(block.timestamp + COVER_LIFETIME + 1);
        bytes memory cover = new bytes(165);
        for (uint256 i = 0; i < 165; i++) {
            cover[i] = signatures[signatures.length - 165 + i];
        }
        address recovered = _recoverCover(cover, guard.coverDigest(address(safe), _hash(safe, t), 1e6, 0, extended));

        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.CoverSignatureInvalid.selector, guardian, recovered));
        _exec(safe, t, signatures);
        _assertNothingMoved();
    }

    function test_aTreasuryOwnerCanStillExecuteWithALapsedCoverAttached() public {
        // The treasury path does not depend on a cover; a lapsed one after the signatures changes nothing.
        SafeTx memory t = _usdcTransfer(safe, payee, 1e6);
        bytes32 hash = _hash(safe, t);
        bytes memory signatures = bytes.concat(_treasurySigned(safe, t, AGENT_KEY), _cover(safe, hash, 1e6, 0));
        vm.warp(block.timestamp + COVER_LIFETIME + 1);
        assertTrue(_exec(safe, t, signatures), "executed");
        assertEq(usdc.balanceOf(payee), 1e6, "the treasury's own transaction is not capped by a cover");
    }

    function test_aCoverSignedByAnyOtherKeyIsRefused() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 1e6);
        bytes32 hash = _hash(safe, t);
        bytes memory signatures = bytes.concat(
            _signatures(hash, _keys(AGENT_KEY, GUARDIAN_KEY)), _coverBy(AGENT_KEY, guard, safe, hash, 1e6, 0)
        );
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.CoverSignatureInvalid.selector, guardian, agent));
        _exec(safe, t, signatures);
        _assertNothingMoved();
    }

    function test_aCoverForAnotherSafeIsRefused() public {
        ISafe other = _createGuardedSafe(_owners(agent, guardian, treasury), 2, _list(treasury), 2);
        _fund(other);
        // The same transaction at the same nonce on both Safes; Guardian covered it for `other` only.
        SafeTx memory t = _usdcTransfer(safe, payee, 100e6);
        bytes memory coverForOther = _cover(other, _hash(other, t), 100e6, 0);
        bytes32 hash = _hash(safe, t);
        bytes memory signatures = bytes.concat(_signatures(hash, _keys(AGENT_KEY, GUARDIAN_KEY)), coverForOther);
        address recovered = _recoverCover(coverForOther, guard.coverDigest(address(safe), hash, 100e6, 0, _validUntil()));

        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.CoverSignatureInvalid.selector, guardian, recovered));
        _exec(safe, t, signatures);
        _assertNothingMoved();
    }

    function test_aCoverForAnotherChainIsRefused() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 100e6);
        bytes memory coverOnThisChain = _cover(safe, _hash(safe, t), 100e6, 0);
        // A fork with another chain id: the owners' signatures are made anew there, the cover replayed.
        vm.chainId(8453);
        bytes32 hash = _hash(safe, t);
        bytes memory signatures = bytes.concat(_signatures(hash, _keys(AGENT_KEY, GUARDIAN_KEY)), coverOnThisChain);
        address recovered = _recoverCover(coverOnThisChain, guard.coverDigest(address(safe), hash, 100e6, 0, _validUntil()));

        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.CoverSignatureInvalid.selector, guardian, recovered));
        _exec(safe, t, signatures);
        _assertNothingMoved();
    }

    function test_aCoverForAnEarlierTransactionIsRefused() public {
        SafeTx memory first = _usdcTransfer(safe, payee, 100e6);
        bytes memory firstCover = _cover(safe, _hash(safe, first), 100e6, 0);
        _exec(safe, first, _coSigned(safe, first, 100e6, 0));

        SafeTx memory again = _usdcTransfer(safe, payee, 100e6); // same payment, next nonce
        bytes32 hash = _hash(safe, again);
        bytes memory signatures = bytes.concat(_signatures(hash, _keys(AGENT_KEY, GUARDIAN_KEY)), firstCover);
        address recovered = _recoverCover(firstCover, guard.coverDigest(address(safe), hash, 100e6, 0, _validUntil()));

        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.CoverSignatureInvalid.selector, guardian, recovered));
        _exec(safe, again, signatures);
        assertEq(usdc.balanceOf(payee), 100e6, "paid once only");
        assertEq(safe.nonce(), 1, "the replay used no nonce");
    }

    function test_aCoverFromAnotherGuardDeploymentIsRefused() public {
        GuardianSafeGuard otherGuard = new GuardianSafeGuard();
        SafeTx memory t = _usdcTransfer(safe, payee, 100e6);
        bytes32 hash = _hash(safe, t);
        bytes memory foreign = _coverBy(GUARDIAN_KEY, otherGuard, safe, hash, 100e6, 0);
        bytes memory signatures = bytes.concat(_signatures(hash, _keys(AGENT_KEY, GUARDIAN_KEY)), foreign);
        address recovered = _recoverCover(foreign, guard.coverDigest(address(safe), hash, 100e6, 0, _validUntil()));

        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.CoverSignatureInvalid.selector, guardian, recovered));
        _exec(safe, t, signatures);
        _assertNothingMoved();
    }

    function test_aCoverWithRaisedAmountsIsRefused() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 100e6);
        bytes memory signatures = _coSigned(safe, t, 10e6, 0);
        // The agent edits maxTokenOut (bytes 4..36 of the cover) from 10 to 100 USDC.
        uint256 amountAt = signatures.length - 165 + 4;
        bytes memory raised = abi.encodePacked(uint256(100e6));
        for (uint256 i = 0; i < 32; i++) {
            signatures[amountAt + i] = raised[i];
        }
        bytes32 hash = _hash(safe, t);
        bytes memory cover = new bytes(165);
        for (uint256 i = 0; i < 165; i++) {
            cover[i] = signatures[signatures.length - 165 + i];
        }
        address recovered = _recoverCover(cover, guard.coverDigest(address(safe), hash, 100e6, 0, _validUntil()));

        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.CoverSignatureInvalid.selector, guardian, recovered));
        _exec(safe, t, signatures);
        _assertNothingMoved();
    }

    function test_aMalleableCoverSignatureIsRefused() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 1e6);
        bytes32 hash = _hash(safe, t);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(GUARDIAN_KEY, guard.coverDigest(address(safe), hash, 1e6, 0, _validUntil()));
        // (r, n - s, v flipped) recovers the same key; only the low-s form is accepted.
        bytes memory highS = abi.encodePacked(
            bytes4(0x47534332),
            uint256(1e6),
            uint256(0),
            _validUntil(),
            r,
            bytes32(SECP256K1_ORDER - uint256(s)),
            v == 27 ? 28 : 27
        );
        bytes memory signatures = bytes.concat(_signatures(hash, _keys(AGENT_KEY, GUARDIAN_KEY)), highS);

        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.CoverSignatureInvalid.selector, guardian, address(0)));
        _exec(safe, t, signatures);
        _assertNothingMoved();
    }

    function test_theAgentAloneCannotExecute() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 1e6);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(AGENT_KEY, _hash(safe, t));
        bytes memory alone = abi.encodePacked(r, s, v);
        vm.expectRevert(errorString("GS020")); // Safe: fewer signatures than the threshold
        _exec(safe, t, alone);

        // Nor with a cover it made itself appended: Safe reads those bytes as a second signature and
        // refuses it (here as a contract signature whose data pointer is out of bounds) before any guard.
        bytes memory withFakeCover = bytes.concat(alone, _coverBy(AGENT_KEY, guard, safe, _hash(safe, t), 1e6, 0));
        bytes memory reason = _execReverting(safe, t, withFakeCover);
        assertEq(_selectorOf(reason), bytes4(keccak256("Error(string)")), "refused by Safe itself");
        _assertNothingMoved();
    }

    function test_anOutsiderCannotStandInForGuardian() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 1e6);
        bytes32 hash = _hash(safe, t);
        bytes memory signatures = bytes.concat(
            _signatures(hash, _keys(AGENT_KEY, OUTSIDER_KEY)), _coverBy(OUTSIDER_KEY, guard, safe, hash, 1e6, 0)
        );
        vm.expectRevert(errorString("GS026")); // Safe: not an owner
        _exec(safe, t, signatures);
        _assertNothingMoved();
    }

    function test_aContractThatRefundsOnlyInSimulationMakesTheTransactionRevert_txOrigin() public {
        TwoFacedMerchant merchant = new TwoFacedMerchant(guardian);
        SafeTx memory t = _payMerchant(merchant, 100e6, 90e6, TwoFacedMerchant.Tell.TxOrigin);
        // Guardian simulated (tx.origin = its own simulation address) and saw 10 USDC leave: it covers 10.
        bytes memory signatures = _coSigned(safe, t, 10e6, 0);

        uint256 beforeSimulation = vm.snapshotState();
        vm.prank(relayer, guardian);
        safe.execTransaction(
            t.to, t.value, t.data, t.operation, t.safeTxGas, t.baseGas, t.gasPrice, t.gasToken, t.refundReceiver, signatures
        );
        assertEq(usdc.balanceOf(address(safe)), SAFE_USDC - 10e6, "in the simulation it cost 10");
        vm.revertToState(beforeSimulation);

        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.UsdcOutflowExceedsCover.selector, 100e6, 10e6));
        _exec(safe, t, signatures); // on chain, from the relayer, it would keep all 100
        _assertNothingMoved();
        assertEq(usdc.balanceOf(address(merchant)), 0, "the merchant got nothing");
    }

    function test_aContractThatRefundsOnlyInSimulationMakesTheTransactionRevert_blockNumber() public {
        TwoFacedMerchant merchant = new TwoFacedMerchant(address(0));
        merchant.setArmedAfterBlock(block.number);
        // Simulated on the latest block it refunds 0.9 ETH of 1; in the next block it keeps everything.
        SafeTx memory t = _call(
            safe,
            address(merchant),
            1 ether,
            abi.encodeCall(merchant.settleEth, (0.9 ether, TwoFacedMerchant.Tell.BlockNumber))
        );
        bytes memory signatures = _coSigned(safe, t, 0, 0.1 ether);

        uint256 beforeSimulation = vm.snapshotState();
        _exec(safe, t, signatures);
        assertEq(address(safe).balance, SAFE_ETH - 0.1 ether, "in the simulation it cost 0.1 ETH");
        vm.revertToState(beforeSimulation);

        vm.roll(block.number + 1);
        vm.expectRevert(abi.encodeWithSelector(GuardianSafeGuard.EthOutflowExceedsCover.selector, 1 ether, 0.1 ether));
        _exec(safe, t, signatures);
        _assertNothingMoved();
        assertEq(address(merchant).balance, 0, "the merchant kept nothing");
    }

    function test_aContractThatRefundsOnlyInSimulationMakesTheTransactionRevert_gasLeft() public {
        TwoFacedMerchant merchant = new TwoFacedMerchant(address(0));
        SafeTx memory t = _payMerchant(merchant, 100e6, 99e6, TwoFacedMerchant.Tell.GasLeft);
        bytes memory signatures = _coSigned(safe, t, 1e6, 0);

        // A simulation with a huge gas cap sees the refund; a transaction with a normal limit does not.
        uint256 beforeSimulation = vm.snapshotState();
        vm.prank(relayer, relayer);
        safe.execTransaction{gas: 20_000_000}(
            t.to, t.value, t.data, t.operation, t.safeTxGas, t.baseGas, t.gasPrice, t.gasToken, t.refundReceiver, signatures
        );
        assertEq(usdc.balanceOf(address(safe)), SAFE_USDC - 1e6, "in the simulation it cost 1");
        vm.revertToState(beforeSimulation);

        vm.prank(relayer, relayer);
        (bool ok, bytes memory reason) = address(safe).call{gas: 1_000_000}(
            abi.encodeCall(
                ISafe.execTransaction,
                (t.to, t.value, t.data, t.operation, t.safeTxGas, t.baseGas, t.gasPrice, t.gasToken, t.refundReceiver, signatures)
            )
        );
        assertFalse(ok, "reverted on chain");
        assertEqBytes(
            reason,
            abi.encodeWithSelector(GuardianSafeGuard.UsdcOutflowExceedsCover.selector, 100e6, 1e6),
            "by the guard"
        );
        _assertNothingMoved();
    }

    function test_anHonestRefundIsJudgedByWhatTheSafeLostOnBalance() public {
        TwoFacedMerchant merchant = new TwoFacedMerchant(relayer); // refunds when tx.origin is the relayer
        SafeTx memory t = _payMerchant(merchant, 300e6, 200e6, TwoFacedMerchant.Tell.TxOrigin);
        _exec(safe, t, _coSigned(safe, t, 100e6, 0));
        assertEq(usdc.balanceOf(address(safe)), SAFE_USDC - 100e6, "paid 300, got 200 back");
        (,, uint256 spent,) = guard.usdcWindowOf(address(safe));
        assertEq(spent, 100e6, "the window counts the net outflow");
    }

    function test_gasRefundsPaidByTheSafeCountAsOutflow() public {
        SafeTx memory t = _usdcTransfer(safe, payee, 10e6);
        t.safeTxGas = 100_000;
        t.baseGas = 50_000;
        t.gasPrice = 1 gwei;
        t.refundReceiver = payable(relayer);
        vm.txGasPrice(1 gwei);
        bytes memory noEthCovered = _coSigned(safe, t, 10e6, 0);
        bytes memory reason = _execReverting(safe, t, noEthCovered);
        assertEq(_selectorOf(reason), GuardianSafeGuard.EthOutflowExceedsCover.selector, "the refund is ETH out");
        _assertNothingMoved();

        bytes memory refundCovered = _coSigned(safe, t, 10e6, 0.001 ether);
        _exec(safe, t, refundCovered);
        uint256 refund = SAFE_ETH - address(safe).balance;
        assertTrue(refund > 50_000 gwei && refund <= 0.001 ether, "the relayer was refunded within the cover");
        assertEq(relayer.balance, refund, "to the relayer");
        assertEq(usdc.balanceOf(payee), 10e6, "and the payment went through");
    }

    // ------------------------------------------------------------------------------------------------

    function _pay(uint256 amount) internal {
        SafeTx memory t = _usdcTransfer(safe, payee, amount);
        assertTrue(_exec(safe, t, _coSigned(safe, t, amount, 0)), "paid");
    }

    /// @dev A MultiSend: pay `price` USDC to the merchant, then let it settle (refunding `refund` if it
    /// thinks it is simulated).
    function _payMerchant(TwoFacedMerchant merchant, uint256 price, uint256 refund, TwoFacedMerchant.Tell tell)
        internal
        view
        returns (SafeTx memory)
    {
        Call[] memory calls = new Call[](2);
        calls[0] = Call(address(usdc), 0, abi.encodeCall(usdc.transfer, (address(merchant), price)));
        calls[1] =
            Call(address(merchant), 0, abi.encodeCall(merchant.settle, (IErc20Transfer(address(usdc)), refund, tell)));
        return _multiSend(safe, calls);
    }

    function _recoverCover(bytes memory cover, bytes32 digest) internal pure returns (address) {
        bytes32 r;
        bytes32 s;
        assembly {
            r := mload(add(cover, 132))
            s := mload(add(cover, 164))
        }
        return ecrecover(digest, uint8(cover[164]), r, s);
    }

    function _assertNothingMoved() internal view {
        assertEq(usdc.balanceOf(address(safe)), SAFE_USDC, "the Safe kept its USDC");
        assertEq(address(safe).balance, SAFE_ETH, "the Safe kept its ETH");
        assertEq(usdc.balanceOf(payee), 0, "the payee got nothing");
        (,, uint256 spent,) = guard.usdcWindowOf(address(safe));
        assertEq(spent, 0, "nothing counted in the window");
    }
}
