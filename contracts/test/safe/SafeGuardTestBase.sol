// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Enum} from "@safe-global/safe-contracts/contracts/common/Enum.sol";
import {GuardianSafeGuard} from "../../src/safe/GuardianSafeGuard.sol";
import {GuardianSafeGuardSetup} from "../../src/safe/GuardianSafeGuardSetup.sol";
import {ISafe} from "../../src/safe/ISafe.sol";
import {TestUsdc} from "../../src/TestUsdc.sol";
import {TestBase} from "../utils/TestBase.sol";

interface ISafeProxyFactory {
    function createProxyWithNonce(address singleton, bytes memory initializer, uint256 saltNonce)
        external
        returns (address proxy);
}

/// @notice The real Safe 1.4.1, deployed from the compiled artifacts of the npm package (the
/// safe-global/safe-contracts 1.4.1 build): SafeL2 singleton, SafeProxyFactory, MultiSendCallOnly,
/// CompatibilityFallbackHandler; with GuardianSafeGuard and its setup contract in front of it, and the
/// helpers every Safe guard test needs: create a guarded Safe, build, sign, cover and execute Safe
/// transactions as the agent, Guardian and the treasury would.
abstract contract SafeGuardTestBase is TestBase {
    string internal constant ARTIFACTS = "../node_modules/@safe-global/safe-contracts/build/artifacts/contracts/";
    address internal constant SENTINEL = address(0x1);
    bytes32 internal constant GUARD_SLOT = 0x4a204f620c8c5ccdca3fd54d003badd85ba500436a431f0cbda4f558c93c34c8;
    bytes32 internal constant FALLBACK_HANDLER_SLOT = 0x6c9a6c4a39284e37ed1cf53d337577d14212a4870fb976a4366c693b939918d5;

    uint256 internal constant CAP = 1_000e6;
    uint256 internal constant WINDOW = 1 days;
    uint256 internal constant SAFE_USDC = 10_000e6;
    uint256 internal constant SAFE_ETH = 10 ether;

    uint256 internal constant AGENT_KEY = 0xA6E47;
    uint256 internal constant GUARDIAN_KEY = 0x6A4D1A4;
    uint256 internal constant TREASURY_KEY = 0x7EA5;
    uint256 internal constant OUTSIDER_KEY = 0xBAD;

    struct SafeTx {
        address to;
        uint256 value;
        bytes data;
        Enum.Operation operation;
        uint256 safeTxGas;
        uint256 baseGas;
        uint256 gasPrice;
        address gasToken;
        address payable refundReceiver;
        uint256 nonce;
    }

    struct Call {
        address to;
        uint256 value;
        bytes data;
    }

    ISafe internal singleton;
    ISafeProxyFactory internal factory;
    address internal multiSend;
    address internal fallbackHandler;
    TestUsdc internal usdc;
    GuardianSafeGuard internal guard;
    GuardianSafeGuardSetup internal guardSetup;

    address internal agent;
    address internal guardian;
    address internal treasury;
    address internal outsider;
    address internal relayer = address(0x4E1A7E4);
    address internal payee = address(0x9A7EE);

    /// @dev The Safe most tests use: owners agent, Guardian and treasury, threshold 2, guarded.
    ISafe internal safe;

    function setUp() public virtual {
        singleton = ISafe(_deployArtifact("SafeL2.sol/SafeL2.json"));
        factory = ISafeProxyFactory(_deployArtifact("proxies/SafeProxyFactory.sol/SafeProxyFactory.json"));
        multiSend = _deployArtifact("libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json");
        fallbackHandler =
            _deployArtifact("handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json");
        usdc = new TestUsdc();
        guard = new GuardianSafeGuard();
        guardSetup = new GuardianSafeGuardSetup(guard);

        agent = vm.addr(AGENT_KEY);
        guardian = vm.addr(GUARDIAN_KEY);
        treasury = vm.addr(TREASURY_KEY);
        outsider = vm.addr(OUTSIDER_KEY);
        vm.label(agent, "agent");
        vm.label(guardian, "guardian");
        vm.label(treasury, "treasury");
        vm.label(relayer, "relayer");
        vm.label(payee, "payee");

        vm.warp(1_700_000_000);
        safe = _createGuardedSafe(_owners(agent, guardian, treasury), 2, _list(treasury), 1);
        vm.label(address(safe), "safe");
        _fund(safe);
    }

    // ------------------------------------------------------------------------------------------------
    // Deployment
    // ------------------------------------------------------------------------------------------------

    function _deployArtifact(string memory path) internal returns (address deployed) {
        bytes memory code = vm.getCode(string.concat(ARTIFACTS, path));
        assembly {
            deployed := create(0, add(code, 0x20), mload(code))
        }
        assertTrue(deployed != address(0), string.concat("deployed ", path));
    }

    function _config(address[] memory treasuryOwners) internal view returns (GuardianSafeGuard.SafeConfig memory) {
        return GuardianSafeGuard.SafeConfig({
            guardian: guardian,
            usdc: address(usdc),
            multiSendCallOnly: multiSend,
            usdcCapPerWindow: CAP,
            windowSeconds: WINDOW,
            treasuryOwners: treasuryOwners
        });
    }

    /// @dev Safe.setup DELEGATECALLs the setup contract, which installs and configures the guard, all in
    /// the factory's creation transaction.
    function _createGuardedSafe(address[] memory owners, uint256 threshold, address[] memory treasuryOwners, uint256 salt)
        internal
        returns (ISafe)
    {
        return _createSafe(
            owners, threshold, address(guardSetup), abi.encodeCall(guardSetup.setupGuard, (_config(treasuryOwners))), salt
        );
    }

    function _createSafe(address[] memory owners, uint256 threshold, address to, bytes memory data, uint256 salt)
        internal
        returns (ISafe)
    {
        bytes memory initializer = abi.encodeCall(
            ISafe.setup, (owners, threshold, to, data, fallbackHandler, address(0), 0, payable(address(0)))
        );
        return ISafe(factory.createProxyWithNonce(address(singleton), initializer, salt));
    }

    function _fund(ISafe target) internal {
        usdc.mint(address(target), SAFE_USDC);
        vm.deal(address(target), SAFE_ETH);
    }

    // ------------------------------------------------------------------------------------------------
    // Safe transactions
    // ------------------------------------------------------------------------------------------------

    function _call(ISafe target, address to, uint256 value, bytes memory data) internal view returns (SafeTx memory t) {
        t.to = to;
        t.value = value;
        t.data = data;
        t.operation = Enum.Operation.Call;
        t.nonce = target.nonce();
    }

    function _usdcTransfer(ISafe target, address to, uint256 amount) internal view returns (SafeTx memory) {
        return _call(target, address(usdc), 0, abi.encodeCall(usdc.transfer, (to, amount)));
    }

    /// @dev A DELEGATECALL to MultiSendCallOnly with the calls packed as it reads them.
    function _multiSend(ISafe target, Call[] memory calls) internal view returns (SafeTx memory t) {
        bytes memory packed;
        for (uint256 i = 0; i < calls.length; i++) {
            packed = abi.encodePacked(
                packed, uint8(0), calls[i].to, calls[i].value, calls[i].data.length, calls[i].data
            );
        }
        t = _call(target, multiSend, 0, abi.encodeWithSignature("multiSend(bytes)", packed));
        t.operation = Enum.Operation.DelegateCall;
    }

    function _hash(ISafe target, SafeTx memory t) internal view returns (bytes32) {
        return target.getTransactionHash(
            t.to, t.value, t.data, t.operation, t.safeTxGas, t.baseGas, t.gasPrice, t.gasToken, t.refundReceiver, t.nonce
        );
    }

    /// @dev ECDSA signatures of `keys` over `hash`, ordered by signer address as Safe requires.
    function _signatures(bytes32 hash, uint256[] memory keys) internal pure returns (bytes memory packed) {
        for (uint256 i = 1; i < keys.length; i++) {
            for (uint256 j = i; j > 0 && vm.addr(keys[j - 1]) > vm.addr(keys[j]); j--) {
                (keys[j - 1], keys[j]) = (keys[j], keys[j - 1]);
            }
        }
        for (uint256 i = 0; i < keys.length; i++) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[i], hash);
            packed = abi.encodePacked(packed, r, s, v);
        }
    }

    function _keys(uint256 a, uint256 b) internal pure returns (uint256[] memory keys) {
        keys = new uint256[](2);
        keys[0] = a;
        keys[1] = b;
    }

    /// @dev How long the covers these tests make stay good: what Guardian's `guardian.safe.cover-lifetime` is.
    uint256 internal constant COVER_LIFETIME = 10 minutes;

    /// @dev The validUntil of a cover made now.
    function _validUntil() internal view returns (uint256) {
        return block.timestamp + COVER_LIFETIME;
    }

    /// @dev The cover blob: "GSC2", maxTokenOut, maxEthOut, validUntil, then `key`'s signature over the guard's
    /// digest.
    function _coverBy(uint256 key, GuardianSafeGuard by, ISafe target, bytes32 safeTxHash, uint256 maxTokenOut, uint256 maxEthOut)
        internal
        view
        returns (bytes memory)
    {
        bytes32 digest = by.coverDigest(address(target), safeTxHash, maxTokenOut, maxEthOut, _validUntil());
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(bytes4(0x47534332), maxTokenOut, maxEthOut, _validUntil(), r, s, v);
    }

    function _cover(ISafe target, bytes32 safeTxHash, uint256 maxTokenOut, uint256 maxEthOut)
        internal
        view
        returns (bytes memory)
    {
        return _coverBy(GUARDIAN_KEY, guard, target, safeTxHash, maxTokenOut, maxEthOut);
    }

    /// @dev What Guardian hands back after its checks: the agent's and its own signature, then its cover.
    function _coSigned(ISafe target, SafeTx memory t, uint256 maxTokenOut, uint256 maxEthOut)
        internal
        view
        returns (bytes memory)
    {
        bytes32 hash = _hash(target, t);
        return bytes.concat(
            _signatures(hash, _keys(AGENT_KEY, GUARDIAN_KEY)), _cover(target, hash, maxTokenOut, maxEthOut)
        );
    }

    /// @dev A treasury transaction: the treasury owner and `otherKey` sign, no cover.
    function _treasurySigned(ISafe target, SafeTx memory t, uint256 otherKey) internal view returns (bytes memory) {
        return _signatures(_hash(target, t), _keys(TREASURY_KEY, otherKey));
    }

    /// @dev Submitted by the relayer, as Guardian submits (tx.origin is the relayer too).
    function _exec(ISafe target, SafeTx memory t, bytes memory signatures) internal returns (bool) {
        vm.prank(relayer, relayer);
        return target.execTransaction(
            t.to, t.value, t.data, t.operation, t.safeTxGas, t.baseGas, t.gasPrice, t.gasToken, t.refundReceiver, signatures
        );
    }

    /// @dev Executes expecting a revert and returns its data, for refusals whose numbers the test computes.
    function _execReverting(ISafe target, SafeTx memory t, bytes memory signatures) internal returns (bytes memory) {
        vm.prank(relayer, relayer);
        (bool ok, bytes memory reason) = address(target).call(
            abi.encodeCall(
                ISafe.execTransaction,
                (t.to, t.value, t.data, t.operation, t.safeTxGas, t.baseGas, t.gasPrice, t.gasToken, t.refundReceiver, signatures)
            )
        );
        assertFalse(ok, "the Safe transaction reverted");
        return reason;
    }

    function _selectorOf(bytes memory reason) internal pure returns (bytes4 selector) {
        if (reason.length >= 4) {
            assembly {
                selector := and(mload(add(reason, 0x20)), shl(224, 0xffffffff))
            }
        }
    }

    function assertEq(bytes32 actual, bytes32 expected, string memory what) internal pure {
        if (actual != expected) revert(string.concat(what, ": expected another bytes32"));
    }

    function assertEqBytes(bytes memory actual, bytes memory expected, string memory what) internal pure {
        if (keccak256(actual) != keccak256(expected)) revert(string.concat(what, ": expected other bytes"));
    }

    // ------------------------------------------------------------------------------------------------
    // Reading the Safe back
    // ------------------------------------------------------------------------------------------------

    function _guardOf(ISafe target) internal view returns (address) {
        return address(uint160(uint256(vm.load(address(target), GUARD_SLOT))));
    }

    function _fallbackHandlerOf(ISafe target) internal view returns (address) {
        return address(uint160(uint256(vm.load(address(target), FALLBACK_HANDLER_SLOT))));
    }

    function _hasModule(ISafe target) internal view returns (bool) {
        (address[] memory modules,) = target.getModulesPaginated(SENTINEL, 1);
        return modules.length != 0;
    }

    /// @dev The Safe as only a treasury may change it: owners, threshold, guard, handler, no module.
    function _assertSetupUnchanged(ISafe target, address[] memory owners, uint256 threshold) internal view {
        address[] memory current = target.getOwners();
        assertEq(current.length, owners.length, "owner count");
        for (uint256 i = 0; i < owners.length; i++) {
            assertTrue(target.isOwner(owners[i]), "still an owner");
        }
        assertEq(target.getThreshold(), threshold, "threshold");
        assertEq(_guardOf(target), address(guard), "guard still installed");
        assertEq(_fallbackHandlerOf(target), fallbackHandler, "fallback handler");
        assertFalse(_hasModule(target), "no module");
    }

    function _owners(address a, address b, address c) internal pure returns (address[] memory owners) {
        owners = new address[](3);
        owners[0] = a;
        owners[1] = b;
        owners[2] = c;
    }

    function _list(address a) internal pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = a;
    }

    /// @dev The owner before `owner` in Safe's linked list (what swapOwner/removeOwner take as prevOwner).
    function _previousOwner(ISafe target, address owner) internal view returns (address) {
        address[] memory owners = target.getOwners();
        for (uint256 i = 0; i < owners.length; i++) {
            if (owners[i] == owner) return i == 0 ? SENTINEL : owners[i - 1];
        }
        revert("not an owner");
    }
}
