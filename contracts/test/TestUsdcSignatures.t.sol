// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {TestUsdc} from "../src/TestUsdc.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @notice A contract wallet in the ERC-1271 style: it accepts a digest signed by its owner's key, and
/// nothing once its owner has switched it off, so the tests can tell "asked the wallet" from
/// "recovered the signer".
contract OwnerSignedWallet is IERC1271 {
    address public immutable owner;
    bool public refusing;

    constructor(address owner_) {
        owner = owner_;
    }

    function refuseEverything() external {
        refusing = true;
    }

    function isValidSignature(bytes32 digest, bytes memory signature) external view returns (bytes4) {
        if (refusing || signature.length != 65) return 0xffffffff;
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        return ecrecover(digest, v, r, s) == owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}

/// @notice FiatToken v2.2's EIP-3009 and EIP-2612 as TestUsdc reproduces them. The expected digests are
/// built here from the type strings (not from the contract's constants), so a wrong constant, domain or
/// field order fails; the revert strings are FiatToken's, spelled out.
contract TestUsdcSignaturesTest is TestBase {
    string internal constant BLACKLISTED = "Blacklistable: account is blacklisted";
    string internal constant NOT_YET_VALID = "FiatTokenV2: authorization is not yet valid";
    string internal constant EXPIRED = "FiatTokenV2: authorization is expired";
    string internal constant USED = "FiatTokenV2: authorization is used or canceled";
    string internal constant INVALID_SIGNATURE = "FiatTokenV2: invalid signature";
    string internal constant NOT_PAYEE = "FiatTokenV2: caller must be the payee";
    string internal constant PERMIT_EXPIRED = "FiatTokenV2: permit is expired";
    string internal constant PERMIT_INVALID_SIGNATURE = "EIP2612: invalid signature";

    bytes32 internal constant TRANSFER_TYPE = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    bytes32 internal constant RECEIVE_TYPE = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    bytes32 internal constant CANCEL_TYPE = keccak256("CancelAuthorization(address authorizer,bytes32 nonce)");
    bytes32 internal constant PERMIT_TYPE =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    /// @dev secp256k1's group order: private keys are 1 .. N-1.
    uint256 internal constant SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    uint256 internal constant NOW = 1_750_000_000;

    TestUsdc internal usdc;
    uint256 internal aliceKey = 0xA11CE;
    address internal alice;
    address internal bob = address(0xB0B);
    address internal relayer = address(0xFAC1);

    struct Authorization {
        address from;
        address to;
        uint256 value;
        uint256 validAfter;
        uint256 validBefore;
        bytes32 nonce;
    }

    function setUp() public {
        vm.warp(NOW);
        usdc = new TestUsdc();
        alice = vm.addr(aliceKey);
        vm.label(alice, "alice");
        vm.label(bob, "bob");
        vm.label(relayer, "relayer");
        usdc.mint(alice, 1_000e6);
    }

    // ---- domain ---------------------------------------------------------------------------------

    function test_versionAndDomainSeparatorAreFiatTokenV2s() public view {
        assertEq(usdc.version(), "2", "version");
        assertTrue(usdc.DOMAIN_SEPARATOR() == _domainSeparator(block.chainid), "domain separator");
    }

    function test_domainSeparatorFollowsTheChainId() public {
        bytes32 before = usdc.DOMAIN_SEPARATOR();
        vm.chainId(84532);

        assertTrue(usdc.DOMAIN_SEPARATOR() != before, "a new chain id gives a new separator");
        assertTrue(usdc.DOMAIN_SEPARATOR() == _domainSeparator(84532), "separator for the new chain id");
    }

    function test_typeHashesAreTheEip3009AndEip2612Ones() public view {
        assertTrue(usdc.TRANSFER_WITH_AUTHORIZATION_TYPEHASH() == TRANSFER_TYPE, "transfer type hash");
        assertTrue(usdc.RECEIVE_WITH_AUTHORIZATION_TYPEHASH() == RECEIVE_TYPE, "receive type hash");
        assertTrue(usdc.CANCEL_AUTHORIZATION_TYPEHASH() == CANCEL_TYPE, "cancel type hash");
        assertTrue(usdc.PERMIT_TYPEHASH() == PERMIT_TYPE, "permit type hash");
    }

    // ---- transferWithAuthorization ----------------------------------------------------------------

    function test_transferWithAuthorizationMovesTheMoneyAndUsesTheNonce() public {
        Authorization memory auth = _authorization(bytes32(uint256(1)), 250e6);
        (uint8 v, bytes32 r, bytes32 s) = _sign(aliceKey, TRANSFER_TYPE, auth);

        vm.expectEmit(true, true, false, true);
        emit TestUsdc.AuthorizationUsed(alice, auth.nonce);
        vm.expectEmit(true, true, false, true);
        emit IERC20.Transfer(alice, bob, 250e6);
        vm.prank(relayer);
        usdc.transferWithAuthorization(
            auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, v, r, s
        );

        assertEq(usdc.balanceOf(alice), 750e6, "alice's balance");
        assertEq(usdc.balanceOf(bob), 250e6, "bob's balance");
        assertEq(usdc.balanceOf(relayer), 0, "the relayer gets nothing");
        assertTrue(usdc.authorizationState(alice, auth.nonce), "nonce used");
    }

    function testFuzz_bytesSignatureFormTransfersForAnyNonceAndAmount(bytes32 nonce, uint256 value) public {
        value = bound(value, 0, 1_000e6);
        Authorization memory auth = _authorization(nonce, value);
        assertFalse(usdc.authorizationState(alice, nonce), "fresh nonce");

        _transferWithBytes(auth, _signPacked(aliceKey, TRANSFER_TYPE, auth));

        assertEq(usdc.balanceOf(bob), value, "bob's balance");
        assertEq(usdc.balanceOf(alice), 1_000e6 - value, "alice's balance");
        assertTrue(usdc.authorizationState(alice, nonce), "nonce used");
    }

    function testFuzz_validOnlyStrictlyAfterValidAfter(uint256 validAfter) public {
        validAfter = bound(validAfter, NOW - 3, NOW + 3);
        Authorization memory auth = _authorization(bytes32(validAfter), 1e6);
        auth.validAfter = validAfter;
        bytes memory signature = _signPacked(aliceKey, TRANSFER_TYPE, auth);

        if (validAfter >= NOW) vm.expectRevert(errorString(NOT_YET_VALID));
        _transferWithBytes(auth, signature);

        assertEq(usdc.balanceOf(bob), validAfter < NOW ? 1e6 : 0, "bob's balance");
    }

    function testFuzz_validOnlyStrictlyBeforeValidBefore(uint256 validBefore) public {
        validBefore = bound(validBefore, NOW - 3, NOW + 3);
        Authorization memory auth = _authorization(bytes32(validBefore), 1e6);
        auth.validBefore = validBefore;
        bytes memory signature = _signPacked(aliceKey, TRANSFER_TYPE, auth);

        if (validBefore <= NOW) vm.expectRevert(errorString(EXPIRED));
        _transferWithBytes(auth, signature);

        assertEq(usdc.balanceOf(bob), validBefore > NOW ? 1e6 : 0, "bob's balance");
    }

    function test_notYetValidIsReportedBeforeExpired() public {
        // A window that is both in the future and already over: FiatToken checks validAfter first.
        Authorization memory auth = _authorization(bytes32(0), 1e6);
        auth.validAfter = NOW;
        auth.validBefore = NOW;

        vm.expectRevert(errorString(NOT_YET_VALID));
        _transferWithBytes(auth, _signPacked(aliceKey, TRANSFER_TYPE, auth));
    }

    function testFuzz_signatureOfAnotherKeyIsRefused(uint256 otherKey) public {
        otherKey = bound(otherKey, 1, SECP256K1_ORDER - 1);
        vm.assume(otherKey != aliceKey);
        Authorization memory auth = _authorization(bytes32(otherKey), 1e6);

        vm.expectRevert(errorString(INVALID_SIGNATURE));
        _transferWithBytes(auth, _signPacked(otherKey, TRANSFER_TYPE, auth));
    }

    function testFuzz_anyChangedFieldInvalidatesTheSignature(uint256 field, uint256 delta) public {
        delta = bound(delta, 1, 1e6);
        Authorization memory auth = _authorization(bytes32(uint256(7)), 1e6);
        bytes memory signature = _signPacked(aliceKey, TRANSFER_TYPE, auth);
        field = bound(field, 0, 4);
        if (field == 0) auth.to = relayer;
        else if (field == 1) auth.value += delta;
        else if (field == 2) auth.validAfter -= delta;
        else if (field == 3) auth.validBefore += delta;
        else auth.nonce = bytes32(uint256(auth.nonce) + delta);

        vm.expectRevert(errorString(INVALID_SIGNATURE));
        _transferWithBytes(auth, signature);
    }

    function test_signatureForAnotherChainIsRefused() public {
        Authorization memory auth = _authorization(bytes32(uint256(8)), 1e6);
        bytes memory signature = _signPacked(aliceKey, TRANSFER_TYPE, auth);
        vm.chainId(block.chainid + 1);

        vm.expectRevert(errorString(INVALID_SIGNATURE));
        _transferWithBytes(auth, signature);
    }

    function testFuzz_authorizationCannotBeReplayed(bytes32 nonce) public {
        Authorization memory auth = _authorization(nonce, 1e6);
        (uint8 v, bytes32 r, bytes32 s) = _sign(aliceKey, TRANSFER_TYPE, auth);
        usdc.transferWithAuthorization(
            auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, v, r, s
        );

        vm.expectRevert(errorString(USED));
        usdc.transferWithAuthorization(
            auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, v, r, s
        );
        vm.expectRevert(errorString(USED));
        _transferWithBytes(auth, abi.encodePacked(r, s, v));
        assertEq(usdc.balanceOf(bob), 1e6, "paid once");
    }

    function test_usedNonceIsReportedBeforeABadSignature() public {
        Authorization memory auth = _authorization(bytes32(uint256(9)), 1e6);
        _transferWithBytes(auth, _signPacked(aliceKey, TRANSFER_TYPE, auth));

        vm.expectRevert(errorString(USED));
        _transferWithBytes(auth, _signPacked(aliceKey + 1, TRANSFER_TYPE, auth));
    }

    function test_nonceIsPerAuthorizer() public {
        uint256 carolKey = 0xCA401;
        usdc.mint(vm.addr(carolKey), 10e6);
        Authorization memory fromAlice = _authorization(bytes32(uint256(10)), 1e6);
        Authorization memory fromCarol = _authorization(bytes32(uint256(10)), 1e6);
        fromCarol.from = vm.addr(carolKey);

        _transferWithBytes(fromAlice, _signPacked(aliceKey, TRANSFER_TYPE, fromAlice));
        _transferWithBytes(fromCarol, _signPacked(carolKey, TRANSFER_TYPE, fromCarol));

        assertEq(usdc.balanceOf(bob), 2e6, "both paid with the same nonce");
    }

    function test_blacklistedPayerIsRefusedBeforeTheSignatureIsLookedAt() public {
        usdc.blacklist(alice);
        Authorization memory auth = _authorization(bytes32(uint256(11)), 1e6);

        vm.expectRevert(errorString(BLACKLISTED));
        _transferWithBytes(auth, "");
        vm.expectRevert(errorString(BLACKLISTED));
        usdc.transferWithAuthorization(
            auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, 0, 0, 0
        );
    }

    function testFuzz_blacklistedPayeeIsRefused(bytes32 nonce) public {
        usdc.blacklist(bob);
        Authorization memory auth = _authorization(nonce, 1e6);
        bytes memory signature = _signPacked(aliceKey, TRANSFER_TYPE, auth);

        vm.expectRevert(errorString(BLACKLISTED));
        _transferWithBytes(auth, signature);
        assertFalse(usdc.authorizationState(alice, nonce), "the nonce stays unused");
    }

    function test_paymentBeyondTheBalanceRevertsWithFiatTokensReason() public {
        Authorization memory auth = _authorization(bytes32(uint256(12)), 1_000e6 + 1);

        vm.expectRevert(errorString("ERC20: transfer amount exceeds balance"));
        _transferWithBytes(auth, _signPacked(aliceKey, TRANSFER_TYPE, auth));
    }

    function test_paymentToTheZeroAddressRevertsWithFiatTokensReason() public {
        Authorization memory auth = _authorization(bytes32(uint256(13)), 1e6);
        auth.to = address(0);

        vm.expectRevert(errorString("ERC20: transfer to the zero address"));
        _transferWithBytes(auth, _signPacked(aliceKey, TRANSFER_TYPE, auth));
    }

    function test_malformedSignaturesRevertWithEcRecoversReasons() public {
        Authorization memory auth = _authorization(bytes32(uint256(14)), 1e6);
        (uint8 v, bytes32 r, bytes32 s) = _sign(aliceKey, TRANSFER_TYPE, auth);

        vm.expectRevert(errorString("ECRecover: invalid signature length"));
        _transferWithBytes(auth, abi.encodePacked(r, s));

        // The same signature with the high s (and flipped v) recovers alice too: FiatToken refuses it.
        bytes32 highS = bytes32(SECP256K1_ORDER - uint256(s));
        vm.expectRevert(errorString("ECRecover: invalid signature 's' value"));
        _transferWithBytes(auth, abi.encodePacked(r, highS, v == 27 ? uint8(28) : uint8(27)));

        vm.expectRevert(errorString("ECRecover: invalid signature 'v' value"));
        _transferWithBytes(auth, abi.encodePacked(r, s, v - 27));

        vm.expectRevert(errorString("ECRecover: invalid signature"));
        _transferWithBytes(auth, abi.encodePacked(bytes32(0), s, v));
    }

    // ---- receiveWithAuthorization -----------------------------------------------------------------

    function test_payeeReceivesWithAuthorizationInBothForms() public {
        Authorization memory first = _authorization(bytes32(uint256(20)), 1e6);
        (uint8 v, bytes32 r, bytes32 s) = _sign(aliceKey, RECEIVE_TYPE, first);
        vm.expectEmit(true, true, false, true);
        emit TestUsdc.AuthorizationUsed(alice, first.nonce);
        vm.prank(bob);
        usdc.receiveWithAuthorization(
            first.from, first.to, first.value, first.validAfter, first.validBefore, first.nonce, v, r, s
        );

        Authorization memory second = _authorization(bytes32(uint256(21)), 2e6);
        vm.prank(bob);
        usdc.receiveWithAuthorization(
            second.from,
            second.to,
            second.value,
            second.validAfter,
            second.validBefore,
            second.nonce,
            _signPacked(aliceKey, RECEIVE_TYPE, second)
        );

        assertEq(usdc.balanceOf(bob), 3e6, "bob's balance");
        assertTrue(usdc.authorizationState(alice, second.nonce), "nonce used");
    }

    function testFuzz_onlyThePayeeMaySubmitAReceiveAuthorization(address caller) public {
        vm.assume(caller != bob);
        Authorization memory auth = _authorization(bytes32(uint256(uint160(caller))), 1e6);
        (uint8 v, bytes32 r, bytes32 s) = _sign(aliceKey, RECEIVE_TYPE, auth);

        vm.prank(caller);
        vm.expectRevert(errorString(NOT_PAYEE));
        usdc.receiveWithAuthorization(
            auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, v, r, s
        );
        vm.prank(caller);
        vm.expectRevert(errorString(NOT_PAYEE));
        usdc.receiveWithAuthorization(
            auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, abi.encodePacked(r, s, v)
        );
    }

    function test_receiveAndTransferSignaturesAreNotInterchangeable() public {
        Authorization memory auth = _authorization(bytes32(uint256(22)), 1e6);

        vm.prank(bob);
        vm.expectRevert(errorString(INVALID_SIGNATURE));
        usdc.receiveWithAuthorization(
            auth.from,
            auth.to,
            auth.value,
            auth.validAfter,
            auth.validBefore,
            auth.nonce,
            _signPacked(aliceKey, TRANSFER_TYPE, auth)
        );

        vm.expectRevert(errorString(INVALID_SIGNATURE));
        _transferWithBytes(auth, _signPacked(aliceKey, RECEIVE_TYPE, auth));
    }

    function test_blacklistIsCheckedBeforeThePayee() public {
        usdc.blacklist(alice);
        Authorization memory auth = _authorization(bytes32(uint256(23)), 1e6);

        vm.prank(relayer);
        vm.expectRevert(errorString(BLACKLISTED));
        usdc.receiveWithAuthorization(auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, "");
    }

    // ---- cancelAuthorization ----------------------------------------------------------------------

    function testFuzz_canceledAuthorizationCannotBeUsed(bytes32 nonce) public {
        Authorization memory auth = _authorization(nonce, 1e6);
        bytes memory payment = _signPacked(aliceKey, TRANSFER_TYPE, auth);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(aliceKey, _digest(keccak256(abi.encode(CANCEL_TYPE, alice, nonce))));

        vm.expectEmit(true, true, false, true);
        emit TestUsdc.AuthorizationCanceled(alice, nonce);
        vm.prank(relayer);
        usdc.cancelAuthorization(alice, nonce, v, r, s);

        assertTrue(usdc.authorizationState(alice, nonce), "nonce canceled");
        vm.expectRevert(errorString(USED));
        _transferWithBytes(auth, payment);
        vm.expectRevert(errorString(USED));
        usdc.cancelAuthorization(alice, nonce, abi.encodePacked(r, s, v));
        assertEq(usdc.balanceOf(bob), 0, "nothing paid");
    }

    function test_usedAuthorizationCannotBeCanceled() public {
        Authorization memory auth = _authorization(bytes32(uint256(30)), 1e6);
        _transferWithBytes(auth, _signPacked(aliceKey, TRANSFER_TYPE, auth));

        vm.expectRevert(errorString(USED));
        usdc.cancelAuthorization(alice, auth.nonce, _signCancel(aliceKey, alice, auth.nonce));
    }

    function testFuzz_cancelSignedByAnotherKeyIsRefused(uint256 otherKey) public {
        otherKey = bound(otherKey, 1, SECP256K1_ORDER - 1);
        vm.assume(otherKey != aliceKey);

        vm.expectRevert(errorString(INVALID_SIGNATURE));
        usdc.cancelAuthorization(alice, bytes32(otherKey), _signCancel(otherKey, alice, bytes32(otherKey)));
        assertFalse(usdc.authorizationState(alice, bytes32(otherKey)), "nonce still usable");
    }

    function test_blacklistedAuthorizerMayStillCancel() public {
        // FiatToken's cancelAuthorization has no blacklist check; the payer can always withdraw an offer.
        usdc.blacklist(alice);

        usdc.cancelAuthorization(alice, bytes32(uint256(31)), _signCancel(aliceKey, alice, bytes32(uint256(31))));

        assertTrue(usdc.authorizationState(alice, bytes32(uint256(31))), "nonce canceled");
    }

    // ---- ERC-1271 wallets -------------------------------------------------------------------------

    function test_contractWalletAuthorizesThroughErc1271() public {
        uint256 ownerKey = 0x0E1271;
        OwnerSignedWallet wallet = new OwnerSignedWallet(vm.addr(ownerKey));
        usdc.mint(address(wallet), 5e6);
        Authorization memory auth = _authorization(bytes32(uint256(40)), 5e6);
        auth.from = address(wallet);

        _transferWithBytes(auth, _signPacked(ownerKey, TRANSFER_TYPE, auth));

        assertEq(usdc.balanceOf(bob), 5e6, "bob's balance");
        assertTrue(usdc.authorizationState(address(wallet), auth.nonce), "wallet's nonce used");
    }

    function test_contractWalletThatRefusesIsAnInvalidSignatureEvenIfTheKeyMatches() public {
        uint256 ownerKey = 0x0E1271;
        OwnerSignedWallet wallet = new OwnerSignedWallet(vm.addr(ownerKey));
        usdc.mint(address(wallet), 5e6);
        wallet.refuseEverything();
        Authorization memory auth = _authorization(bytes32(uint256(41)), 5e6);
        auth.from = address(wallet);

        vm.expectRevert(errorString(INVALID_SIGNATURE));
        _transferWithBytes(auth, _signPacked(ownerKey, TRANSFER_TYPE, auth));
    }

    function test_contractWalletIsNeverCheckedByEcdsa() public {
        // An address with code is only asked through ERC-1271, and a malformed signature is the wallet's
        // business: no ECRecover reason, just an invalid signature. The token itself has no isValidSignature.
        Authorization memory auth = _authorization(bytes32(uint256(42)), 1e6);
        auth.from = address(usdc);

        vm.expectRevert(errorString(INVALID_SIGNATURE));
        _transferWithBytes(auth, hex"00");
    }

    // ---- permit -----------------------------------------------------------------------------------

    function test_permitSetsTheAllowanceAndCountsTheNonce() public {
        uint256 deadline = NOW + 60;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(aliceKey, _permitDigest(alice, bob, 7e6, 0, deadline));

        vm.expectEmit(true, true, false, true);
        emit IERC20.Approval(alice, bob, 7e6);
        vm.prank(relayer);
        usdc.permit(alice, bob, 7e6, deadline, v, r, s);

        assertEq(usdc.allowance(alice, bob), 7e6, "allowance");
        assertEq(usdc.nonces(alice), 1, "next nonce");
        vm.expectRevert(errorString(PERMIT_INVALID_SIGNATURE));
        usdc.permit(alice, bob, 7e6, deadline, v, r, s);
    }

    function testFuzz_permitsUseConsecutiveNoncesInBothForms(uint8 count, uint256 value) public {
        count = uint8(bound(count, 1, 6));
        for (uint256 nonce = 0; nonce < count; nonce++) {
            uint256 amount = bound(uint256(keccak256(abi.encode(value, nonce))), 0, type(uint256).max);
            (uint8 v, bytes32 r, bytes32 s) =
                vm.sign(aliceKey, _permitDigest(alice, bob, amount, nonce, type(uint256).max));
            if (nonce % 2 == 0) usdc.permit(alice, bob, amount, type(uint256).max, v, r, s);
            else usdc.permit(alice, bob, amount, type(uint256).max, abi.encodePacked(r, s, v));
            assertEq(usdc.allowance(alice, bob), amount, "allowance");
            assertEq(usdc.nonces(alice), nonce + 1, "next nonce");
        }
    }

    function test_permitForAFutureNonceIsRefused() public {
        bytes memory signature = _signPermit(aliceKey, _permitDigest(alice, bob, 1e6, 1, NOW));

        vm.expectRevert(errorString(PERMIT_INVALID_SIGNATURE));
        usdc.permit(alice, bob, 1e6, NOW, signature);
        assertEq(usdc.nonces(alice), 0, "a refused permit consumes no nonce");
    }

    function testFuzz_permitIsValidUpToAndIncludingItsDeadline(uint256 deadline) public {
        deadline = bound(deadline, NOW - 3, NOW + 3);
        bytes memory signature = _signPermit(aliceKey, _permitDigest(alice, bob, 1e6, 0, deadline));

        if (deadline < NOW) vm.expectRevert(errorString(PERMIT_EXPIRED));
        usdc.permit(alice, bob, 1e6, deadline, signature);

        assertEq(usdc.allowance(alice, bob), deadline >= NOW ? 1e6 : 0, "allowance");
    }

    function testFuzz_permitSignedByAnotherKeyIsRefused(uint256 otherKey) public {
        otherKey = bound(otherKey, 1, SECP256K1_ORDER - 1);
        vm.assume(otherKey != aliceKey);

        vm.expectRevert(errorString(PERMIT_INVALID_SIGNATURE));
        usdc.permit(alice, bob, 1e6, NOW, _signPermit(otherKey, _permitDigest(alice, bob, 1e6, 0, NOW)));
    }

    function test_permitByContractWalletGoesThroughErc1271() public {
        uint256 ownerKey = 0x0E1271;
        OwnerSignedWallet wallet = new OwnerSignedWallet(vm.addr(ownerKey));

        usdc.permit(
            address(wallet), bob, 3e6, NOW, _signPermit(ownerKey, _permitDigest(address(wallet), bob, 3e6, 0, NOW))
        );

        assertEq(usdc.allowance(address(wallet), bob), 3e6, "wallet's allowance");
        assertEq(usdc.nonces(address(wallet)), 1, "wallet's next nonce");
    }

    function test_permitIgnoresTheBlacklistAsFiatTokenV22Does() public {
        // v2.2 removed notBlacklisted from permit; the blacklisted party still cannot move money.
        usdc.blacklist(alice);
        usdc.blacklist(bob);

        usdc.permit(alice, bob, 1e6, NOW, _signPermit(aliceKey, _permitDigest(alice, bob, 1e6, 0, NOW)));

        assertEq(usdc.allowance(alice, bob), 1e6, "allowance");
        vm.prank(bob);
        vm.expectRevert(errorString(BLACKLISTED));
        // forge-lint: disable-next-line(erc20-unchecked-transfer) -- expected to revert
        usdc.transferFrom(alice, bob, 1e6);
    }

    function test_permitForTheZeroSpenderRevertsWithFiatTokensReason() public {
        bytes memory signature = _signPermit(aliceKey, _permitDigest(alice, address(0), 1e6, 0, NOW));

        vm.expectRevert(errorString("ERC20: approve to the zero address"));
        usdc.permit(alice, address(0), 1e6, NOW, signature);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    function _authorization(bytes32 nonce, uint256 value) internal view returns (Authorization memory) {
        return
            Authorization({
                from: alice, to: bob, value: value, validAfter: NOW - 1, validBefore: NOW + 60, nonce: nonce
            });
    }

    function _domainSeparator(uint256 chainId) internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Test USD Coin"),
                keccak256("2"),
                chainId,
                address(usdc)
            )
        );
    }

    function _digest(bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator(block.chainid), structHash));
    }

    function _sign(uint256 key, bytes32 typeHash, Authorization memory auth)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        bytes32 structHash = keccak256(
            abi.encode(typeHash, auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce)
        );
        return vm.sign(key, _digest(structHash));
    }

    function _signPacked(uint256 key, bytes32 typeHash, Authorization memory auth)
        internal
        view
        returns (bytes memory)
    {
        (uint8 v, bytes32 r, bytes32 s) = _sign(key, typeHash, auth);
        return abi.encodePacked(r, s, v);
    }

    function _signCancel(uint256 key, address authorizer, bytes32 nonce) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, _digest(keccak256(abi.encode(CANCEL_TYPE, authorizer, nonce))));
        return abi.encodePacked(r, s, v);
    }

    function _permitDigest(address owner, address spender, uint256 value, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        return _digest(keccak256(abi.encode(PERMIT_TYPE, owner, spender, value, nonce, deadline)));
    }

    function _signPermit(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _transferWithBytes(Authorization memory auth, bytes memory signature) internal {
        usdc.transferWithAuthorization(
            auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, signature
        );
    }
}
