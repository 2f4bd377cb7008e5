// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Guard} from "@safe-global/safe-contracts/contracts/base/GuardManager.sol";
import {Enum} from "@safe-global/safe-contracts/contracts/common/Enum.sol";
import {IERC165} from "@safe-global/safe-contracts/contracts/interfaces/IERC165.sol";
import {ISafe} from "./ISafe.sol";

interface IUsdcBalances {
    function balanceOf(address account) external view returns (uint256);
    function allowance(address owner, address spender) external view returns (uint256);
}

/// @title GuardianSafeGuard
/// @notice The on-chain backstop for co-signed Safe 1.4.1 wallets: whatever Guardian's off-chain state
/// says, a Safe that has this guard installed pays out only what Guardian's key signed a cover for, never
/// more USDC per window than a hard cap, and cannot lose the guard, gain an owner or a module, or run
/// foreign code by DELEGATECALL unless a treasury owner signed the transaction.
/// @dev One deployment serves many Safes: every piece of state is keyed by the Safe (`msg.sender` of the
/// Safe's own calls into the guard). The rules, the cover format and the recovery steps are in
/// contracts/README.md ("GuardianSafeGuard"); the comments here say why each check is where it is.
///
/// Two kinds of transaction pass:
/// - covered: the last 165 bytes of `signatures` are a cover (magic "GSC2", maxTokenOut, maxEthOut,
///   validUntil and Guardian's ECDSA signature over `coverDigest`), executed no later than validUntil. After execution the Safe's USDC and ETH balances must
///   have fallen by at most the covered amounts, USDC also within the window cap; the Safe's owners,
///   threshold, guard, singleton and fallback handler must be unchanged, and USDC allowances it granted
///   must be back at zero.
/// - treasury: one of the signatures the Safe verified belongs to a configured treasury owner. Not capped
///   (it is the recovery path); the only path that may call the Safe itself or this guard.
/// Always: no modules (they bypass guards in 1.4.1), DELEGATECALL only to the configured
/// MultiSendCallOnly, no Safe transaction nested inside another, the fallback handler as configured.
contract GuardianSafeGuard is Guard {
    /// @notice What a Safe's treasury configures: see `configure`.
    struct SafeConfig {
        /// Guardian's co-signing key (an EOA: covers are ECDSA signatures).
        address guardian;
        /// The USDC token whose outflow is capped and whose calls are restricted.
        address usdc;
        /// The only contract the Safe may DELEGATECALL (Safe's MultiSendCallOnly 1.4.1).
        address multiSendCallOnly;
        /// Hard cap on covered USDC outflow per window, in the token's smallest units (at most 2^128 - 1).
        uint256 usdcCapPerWindow;
        /// Length of a window in seconds (1 to 2^32 - 1). Windows are fixed, back to back from the first
        /// configuration: [start, start + windowSeconds).
        uint256 windowSeconds;
        /// Owners of the Safe whose signature opens the treasury path. May be empty: then the guard and its
        /// configuration can never be changed or removed.
        address[] treasuryOwners;
    }

    /// @dev What the guard keeps per Safe, packed into few slots since covered transactions read them
    /// all. A Safe is configured exactly when `guardian` is set (configure refuses a zero guardian).
    struct SafeState {
        address guardian;
        uint32 windowSeconds;
        uint64 windowStart;
        address usdc;
        address multiSendCallOnly;
        address fallbackHandler;
        uint128 usdcCapPerWindow;
        uint128 spentInWindow;
        address[] treasuryOwners;
    }

    /// @notice The 4 bytes that open a cover blob: ASCII "GSC2" (Guardian Safe Cover, version 2: the first
    /// with a deadline).
    bytes4 public constant COVER_MAGIC = 0x47534332;
    /// @notice A cover is magic (4) + maxTokenOut (32) + maxEthOut (32) + validUntil (32) + r (32) + s (32)
    /// + v (1).
    uint256 public constant COVER_LENGTH = 165;
    /// @notice At most this many treasury owners per Safe (the treasury path compares each signer with each).
    uint256 public constant MAX_TREASURY_OWNERS = 8;
    /// @notice At most this many USDC `approve` calls per covered transaction (each is checked after it).
    uint256 public constant MAX_APPROVALS = 8;

    /// @dev keccak256("guard_manager.guard.address"), Safe 1.4.1 GuardManager.GUARD_STORAGE_SLOT.
    uint256 internal constant GUARD_STORAGE_SLOT = 0x4a204f620c8c5ccdca3fd54d003badd85ba500436a431f0cbda4f558c93c34c8;
    /// @dev keccak256("fallback_manager.handler.address"), Safe 1.4.1 FallbackManager.FALLBACK_HANDLER_STORAGE_SLOT.
    uint256 internal constant FALLBACK_HANDLER_STORAGE_SLOT =
        0x6c9a6c4a39284e37ed1cf53d337577d14212a4870fb976a4366c693b939918d5;
    /// @dev Slot 0 of a Safe proxy is its singleton (the code it delegates to).
    uint256 internal constant SINGLETON_STORAGE_SLOT = 0;
    address internal constant SENTINEL = address(0x1);
    bytes32 internal constant SAFE_VERSION_HASH = keccak256("1.4.1");
    /// @dev Safe 1.4.1's SAFE_TX_TYPEHASH: keccak256("SafeTx(address to,uint256 value,bytes data,uint8 operation,
    /// uint256 safeTxGas,uint256 baseGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)").
    bytes32 internal constant SAFE_TX_TYPEHASH = 0xbb8310d486368db6bd6f849402fdd73ad53d316b5a4b2644ad6efe0f941286d8;
    uint256 internal constant SECP256K1_HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    bytes4 internal constant MULTI_SEND_SELECTOR = 0x8d80ff0a; // multiSend(bytes)
    bytes4 internal constant TRANSFER_SELECTOR = 0xa9059cbb; // transfer(address,uint256)
    bytes4 internal constant APPROVE_SELECTOR = 0x095ea7b3; // approve(address,uint256)

    uint256 internal constant MODE_COVERED = 1;
    uint256 internal constant MODE_TREASURY = 2;
    uint256 internal constant MODE_BOOTSTRAP = 3;

    /// @dev Seed of the transient slots that carry one Safe transaction from `checkTransaction` to
    /// `checkAfterExecution`: keccak256(abi.encode(safe, IN_FLIGHT_SEED)) + field. Transient storage
    /// (EIP-1153) so that nothing outlives the Ethereum transaction, whatever happens in between.
    bytes32 internal constant IN_FLIGHT_SEED = keccak256("GuardianSafeGuard.inFlight");
    uint256 internal constant F_TX_HASH = 0;
    uint256 internal constant F_MODE = 1;
    uint256 internal constant F_SIGNER = 2;
    uint256 internal constant F_USDC_BEFORE = 3;
    uint256 internal constant F_ETH_BEFORE = 4;
    uint256 internal constant F_MAX_TOKEN_OUT = 5;
    uint256 internal constant F_MAX_ETH_OUT = 6;
    uint256 internal constant F_SETUP_HASH = 7;
    uint256 internal constant F_SPENDER_COUNT = 8;
    uint256 internal constant F_SPENDERS = 9;

    mapping(address safe => SafeState) internal _states;

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
    event CoveredTransactionExecuted(
        address indexed safe, bytes32 indexed safeTxHash, uint256 usdcOut, uint256 ethOut, uint256 spentInWindow
    );
    event TreasuryTransactionExecuted(address indexed safe, bytes32 indexed safeTxHash, address indexed treasuryOwner);

    // Every refusal: a stable name (its selector is the rule id) and the numbers behind it.
    error SafeNotConfigured(address safe);
    error NestedSafeTransaction(address safe, bytes32 inFlightSafeTxHash);
    error NoSafeTransactionInFlight(address safe, bytes32 safeTxHash);
    error ModuleEnabled(address safe, address module);
    error DelegateCallNotAllowed(address target, address allowedMultiSend);
    error MalformedMultiSend(uint256 offset);
    error TreasurySignatureRequired(address target, bytes4 selector);
    error CoverMissing();
    error CoverSignatureInvalid(address guardian, address recovered);
    error CoverExpired(uint256 validUntil, uint256 blockTimestamp);
    error UsdcCallNotAllowed(bytes4 selector, uint256 dataLength);
    error TooManyApprovals(uint256 max);
    error UsdcAllowanceLeft(address spender, uint256 allowance);
    error UsdcOutflowExceedsCover(uint256 outflow, uint256 covered);
    error EthOutflowExceedsCover(uint256 outflow, uint256 covered);
    error UsdcWindowCapExceeded(uint256 spentInWindow, uint256 outflow, uint256 cap, uint256 windowResetsAt);
    error SafeSetupChanged(bytes32 before, bytes32 afterExecution);
    error FallbackHandlerChanged(address configured, address current);
    error ConfigurationRequiresTreasury(address safe);
    error UnsupportedSafe(address safe);
    error GuardNotInstalled(address safe, address currentGuard);
    error InvalidConfiguration(string field);

    /// @dev What `checkTransaction` learns from the calls a transaction makes (top level or in a MultiSend).
    struct Inspection {
        address sensitiveTarget; // first call to the Safe itself or to this guard, else zero
        bytes4 sensitiveSelector;
        bool touchesSafeOrGuard;
        bool usdcViolation;
        bytes4 usdcSelector;
        uint256 usdcDataLength;
        uint256 approvals;
        address[MAX_APPROVALS] spenders;
    }

    /// @dev A cover as read from `signatures`.
    struct Cover {
        bool present; // the magic is there
        bool valid; // and Guardian's key signed it for this Safe, chain and transaction
        address recovered;
        uint256 maxTokenOut;
        uint256 maxEthOut;
        uint256 validUntil;
        bool expired; // signed by Guardian's key, but the block is later than validUntil
    }

    // ------------------------------------------------------------------------------------------------
    // Configuration
    // ------------------------------------------------------------------------------------------------

    /// @notice Configures the calling Safe. Called by the Safe itself: from GuardianSafeGuardSetup during
    /// `Safe.setup` (so the Safe never exists unguarded), or later in a Safe transaction, which
    /// `checkTransaction` lets through only with a treasury owner's signature.
    /// @dev Validates against the Safe as it is at this moment: it must be Safe 1.4.1 with this guard
    /// installed and no module, the guardian and every treasury owner must be owners, and the fallback
    /// handler (recorded here, then held fixed) must not be this guard or USDC: the Safe forwards unknown
    /// calls to its handler as itself, so such a handler would let anyone call them as the Safe.
    /// The window already spent is kept: a reconfiguration must not hand out a fresh cap.
    function configure(SafeConfig calldata config) external {
        address safe = msg.sender;
        uint256 mode = _load(safe, F_MODE);
        if (_load(safe, F_TX_HASH) != 0 && mode == MODE_COVERED) revert ConfigurationRequiresTreasury(safe);

        if (keccak256(bytes(ISafe(safe).VERSION())) != SAFE_VERSION_HASH) revert UnsupportedSafe(safe);
        address installed = _addressAt(safe, GUARD_STORAGE_SLOT);
        if (installed != address(this)) revert GuardNotInstalled(safe, installed);
        _requireNoModule(safe);

        if (config.guardian == address(0) || !ISafe(safe).isOwner(config.guardian)) {
            revert InvalidConfiguration("guardian");
        }
        if (config.usdc.code.length == 0 || config.usdc == safe) revert InvalidConfiguration("usdc");
        if (
            config.multiSendCallOnly.code.length == 0 || config.multiSendCallOnly == safe
                || config.multiSendCallOnly == address(this)
        ) revert InvalidConfiguration("multiSendCallOnly");
        if (config.usdcCapPerWindow > type(uint128).max) revert InvalidConfiguration("usdcCapPerWindow");
        if (config.windowSeconds == 0 || config.windowSeconds > type(uint32).max) {
            revert InvalidConfiguration("windowSeconds");
        }
        address handler = _addressAt(safe, FALLBACK_HANDLER_STORAGE_SLOT);
        if (handler == address(this) || handler == config.usdc) {
            revert InvalidConfiguration("fallbackHandler");
        }
        _validateTreasuryOwners(safe, config);

        SafeState storage state = _states[safe];
        if (state.guardian == address(0)) state.windowStart = uint64(block.timestamp);
        state.guardian = config.guardian;
        state.windowSeconds = uint32(config.windowSeconds);
        state.usdc = config.usdc;
        state.multiSendCallOnly = config.multiSendCallOnly;
        state.fallbackHandler = handler;
        state.usdcCapPerWindow = uint128(config.usdcCapPerWindow);
        state.treasuryOwners = config.treasuryOwners;
        emit SafeConfigured(
            safe,
            config.guardian,
            config.usdc,
            config.multiSendCallOnly,
            handler,
            config.usdcCapPerWindow,
            config.windowSeconds,
            config.treasuryOwners
        );
    }

    function _validateTreasuryOwners(address safe, SafeConfig calldata config) internal view {
        address[] calldata treasury = config.treasuryOwners;
        if (treasury.length > MAX_TREASURY_OWNERS) revert InvalidConfiguration("treasuryOwners");
        for (uint256 i = 0; i < treasury.length; i++) {
            address owner = treasury[i];
            if (owner == address(0) || owner == config.guardian || !ISafe(safe).isOwner(owner)) {
                revert InvalidConfiguration("treasuryOwners");
            }
            for (uint256 j = 0; j < i; j++) {
                if (treasury[j] == owner) revert InvalidConfiguration("treasuryOwners");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Guard interface
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc Guard
    /// @dev Safe 1.4.1 calls this after `nonce++` and after `checkSignatures` accepted the first
    /// `threshold` signatures, and before executing. So the transaction's hash is the one for `nonce - 1`,
    /// and every signature among the first `threshold` is known valid for it. The hash is computed here
    /// as Safe's getTransactionHash computes it (calling that with ten arguments does not fit the stack
    /// next to these eleven); `checkAfterExecution` then receives the Safe's own hash and refuses any
    /// other, so a difference could never pass silently.
    function checkTransaction(
        address to,
        uint256 value,
        bytes memory data,
        Enum.Operation operation,
        uint256 safeTxGas,
        uint256 baseGas,
        uint256 gasPrice,
        address gasToken,
        address payable refundReceiver,
        bytes memory signatures,
        address
    ) external override {
        // A Safe transaction executed from inside another would overwrite the balances the outer one is
        // judged against (and run between its check and its after-check): refuse it.
        _requireNothingInFlight(msg.sender);
        bytes32 structHash = keccak256(
            bytes.concat(
                abi.encode(SAFE_TX_TYPEHASH, to, value, keccak256(data), operation, safeTxGas),
                abi.encode(baseGas, gasPrice, gasToken, refundReceiver, ISafe(msg.sender).nonce() - 1)
            )
        );
        _check(to, data, operation, signatures, _safeTxHash(msg.sender, structHash));
    }

    /// @inheritdoc Guard
    /// @dev Runs after the call and after Safe paid any gas refund, so refunds count as outflow too.
    function checkAfterExecution(bytes32 txHash, bool) external override {
        address safe = msg.sender;
        if (bytes32(_load(safe, F_TX_HASH)) != txHash || txHash == 0) revert NoSafeTransactionInFlight(safe, txHash);
        SafeState storage state = _states[safe];
        uint256 mode = _load(safe, F_MODE);

        // Only a treasury transaction can have removed the guard (a covered one would fail its setup
        // check below); after that this Safe's rules are no longer the guard's to hold.
        if (mode != MODE_TREASURY || _addressAt(safe, GUARD_STORAGE_SLOT) == address(this)) {
            // A module enabled by the transaction itself, even a treasury one, would bypass the guard
            // from then on; and the fallback handler calls others as the Safe, so it stays as configured
            // (a treasury that changes it reconfigures in the same transaction).
            _requireNoModule(safe);
            if (mode == MODE_BOOTSTRAP && state.guardian == address(0)) revert SafeNotConfigured(safe);
            address handler = _addressAt(safe, FALLBACK_HANDLER_STORAGE_SLOT);
            if (handler != state.fallbackHandler) revert FallbackHandlerChanged(state.fallbackHandler, handler);
        }

        if (mode == MODE_COVERED) {
            _afterCovered(safe, txHash, state);
        } else if (mode == MODE_TREASURY) {
            emit TreasuryTransactionExecuted(safe, txHash, address(uint160(_load(safe, F_SIGNER))));
        }
        _clearInFlight(safe);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure override returns (bool) {
        return interfaceId == type(Guard).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @notice The digest Guardian signs (raw, no EIP-191 prefix) to cover a Safe transaction:
    /// keccak256(abi.encode(guard, safe, block.chainid, safeTxHash, maxTokenOut, maxEthOut, validUntil)).
    function coverDigest(
        address safe,
        bytes32 safeTxHash,
        uint256 maxTokenOut,
        uint256 maxEthOut,
        uint256 validUntil
    ) public view returns (bytes32) {
        return keccak256(
            abi.encode(address(this), safe, block.chainid, safeTxHash, maxTokenOut, maxEthOut, validUntil)
        );
    }

    function isConfigured(address safe) external view returns (bool) {
        return _states[safe].guardian != address(0);
    }

    /// @notice The configuration of `safe` (all zero when it has none).
    function configOf(address safe) external view returns (SafeConfig memory config) {
        SafeState storage state = _states[safe];
        config = SafeConfig({
            guardian: state.guardian,
            usdc: state.usdc,
            multiSendCallOnly: state.multiSendCallOnly,
            usdcCapPerWindow: state.usdcCapPerWindow,
            windowSeconds: state.windowSeconds,
            treasuryOwners: state.treasuryOwners
        });
    }

    /// @notice The fallback handler recorded for `safe` at its last configuration.
    function fallbackHandlerOf(address safe) external view returns (address) {
        return _states[safe].fallbackHandler;
    }

    /// @notice The USDC window of `safe` as of this block: when it started, when it resets, what covered
    /// transactions have taken from it and what remains.
    function usdcWindowOf(address safe)
        external
        view
        returns (uint256 windowStart, uint256 resetsAt, uint256 spent, uint256 remaining)
    {
        SafeState storage state = _states[safe];
        if (state.guardian == address(0)) revert SafeNotConfigured(safe);
        (windowStart, spent) = _currentWindow(state);
        resetsAt = windowStart + state.windowSeconds;
        // A treasury may lower the cap below what the window has already spent.
        remaining = spent >= state.usdcCapPerWindow ? 0 : state.usdcCapPerWindow - spent;
    }

    // ------------------------------------------------------------------------------------------------
    // Before execution
    // ------------------------------------------------------------------------------------------------

    function _requireNothingInFlight(address safe) internal view {
        bytes32 inFlight = bytes32(_load(safe, F_TX_HASH));
        if (inFlight != 0) revert NestedSafeTransaction(safe, inFlight);
    }

    /// @dev EIP-712 over Safe's domain {chainId, verifyingContract: safe}, as Safe.encodeTransactionData.
    function _safeTxHash(address safe, bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x19), bytes1(0x01), ISafe(safe).domainSeparator(), structHash));
    }

    function _check(address to, bytes memory data, Enum.Operation operation, bytes memory signatures, bytes32 safeTxHash)
        internal
    {
        address safe = msg.sender;
        _requireNoModule(safe);
        SafeState storage state = _states[safe];
        if (state.guardian == address(0)) {
            // A Safe that installed this guard without configuring it (not through the setup contract)
            // could otherwise never execute again, not even to fix that; let its owners configure it and
            // nothing else. It was unguarded until now, so this takes nothing away.
            if (operation != Enum.Operation.Call || to != address(this) || _selector(data, 0, data.length) != this.configure.selector) {
                revert SafeNotConfigured(safe);
            }
            _beginInFlight(safe, safeTxHash, MODE_BOOTSTRAP, address(0));
            return;
        }

        Inspection memory inspection = _inspect(safe, state, to, data, operation);

        Cover memory cover = _readCover(safe, state.guardian, safeTxHash, signatures);

        if (inspection.touchesSafeOrGuard || !cover.valid) {
            address treasurySigner = _treasurySigner(safe, state, safeTxHash, signatures);
            if (treasurySigner == address(0)) {
                if (inspection.touchesSafeOrGuard) {
                    revert TreasurySignatureRequired(inspection.sensitiveTarget, inspection.sensitiveSelector);
                }
                // A cover Guardian signed that has lapsed: the co-signed bytes outlived what Guardian judged
                // (its relayed execution reverted or was replaced, and Guardian released what it held for it).
                if (cover.expired) revert CoverExpired(cover.validUntil, block.timestamp);
                if (cover.present) revert CoverSignatureInvalid(state.guardian, cover.recovered);
                revert CoverMissing();
            }
            _beginInFlight(safe, safeTxHash, MODE_TREASURY, treasurySigner);
            return;
        }

        if (inspection.usdcViolation) revert UsdcCallNotAllowed(inspection.usdcSelector, inspection.usdcDataLength);
        _beginInFlight(safe, safeTxHash, MODE_COVERED, address(0));
        _store(safe, F_USDC_BEFORE, IUsdcBalances(state.usdc).balanceOf(safe));
        _store(safe, F_ETH_BEFORE, safe.balance);
        _store(safe, F_MAX_TOKEN_OUT, cover.maxTokenOut);
        _store(safe, F_MAX_ETH_OUT, cover.maxEthOut);
        _store(safe, F_SETUP_HASH, uint256(_setupHash(safe)));
        _store(safe, F_SPENDER_COUNT, inspection.approvals);
        for (uint256 i = 0; i < inspection.approvals; i++) {
            _store(safe, F_SPENDERS + i, uint256(uint160(inspection.spenders[i])));
        }
    }

    /// @dev Walks the calls the transaction makes: the call itself, or each call of a MultiSendCallOnly
    /// batch. DELEGATECALL anywhere else is refused outright: delegated code runs as the Safe and can
    /// rewrite its owners, guard and modules in storage, where no check after execution could see all of it.
    function _inspect(address safe, SafeState storage state, address to, bytes memory data, Enum.Operation operation)
        internal
        view
        returns (Inspection memory inspection)
    {
        if (operation == Enum.Operation.Call) {
            _inspectCall(inspection, safe, state, to, data, 0, data.length);
            return inspection;
        }
        address multiSend = state.multiSendCallOnly;
        if (to != multiSend) revert DelegateCallNotAllowed(to, multiSend);
        // multiSend(bytes) in its canonical encoding only: selector, offset 0x20, length, the packed
        // entries. Anything else is refused with a reason rather than left to a decoder's bare revert.
        if (
            data.length < 68 || _selector(data, 0, data.length) != MULTI_SEND_SELECTOR || _wordAt(data, 4) != 0x20
                || _wordAt(data, 36) > data.length - 68
        ) revert MalformedMultiSend(0);
        _inspectMultiSend(inspection, safe, state, data, 68, _wordAt(data, 36));
    }

    /// @dev MultiSendCallOnly's packed entries, at buffer[start, start + length): operation (1 byte),
    /// to (20), value (32), data length (32), data. Only an exact tiling is accepted: MultiSendCallOnly
    /// reads past a truncated entry and skips a short tail (its loop compares an offset that includes the
    /// length word), so anything else could execute calls this walk did not see. Operation 1 is refused
    /// here as MultiSendCallOnly refuses it. Offsets in refusals count from the start of the entries.
    function _inspectMultiSend(
        Inspection memory inspection,
        address safe,
        SafeState storage state,
        bytes memory buffer,
        uint256 start,
        uint256 length
    ) internal view {
        uint256 offset = 0;
        while (offset < length) {
            if (length - offset < 85) revert MalformedMultiSend(offset);
            uint8 innerOperation;
            address innerTo;
            uint256 innerLength;
            assembly {
                let entry := add(add(buffer, 0x20), add(start, offset))
                innerOperation := shr(248, mload(entry))
                innerTo := shr(96, mload(add(entry, 0x01)))
                innerLength := mload(add(entry, 0x35))
            }
            if (innerOperation != 0 || innerLength > length - offset - 85) revert MalformedMultiSend(offset);
            _inspectCall(inspection, safe, state, innerTo, buffer, start + offset + 85, innerLength);
            offset += 85 + innerLength;
        }
    }

    /// @dev One call, its data at buffer[start, start + length). Calls to the Safe itself (owners,
    /// threshold, guard, modules, fallback handler) and to this guard (configuration) need the treasury.
    /// Calls to USDC may only be `transfer` and `approve`, exactly 68 bytes with a clean address word, so
    /// that the token cannot read anything the guard did not (increaseAllowance, transferFrom, EIP-3009 and
    /// permit variants would grant or move money outside what the balance check sees); the spender of an
    /// approve is remembered, for its allowance must be back at zero after execution.
    function _inspectCall(
        Inspection memory inspection,
        address safe,
        SafeState storage state,
        address target,
        bytes memory buffer,
        uint256 start,
        uint256 length
    ) internal view {
        if (target == safe || target == address(this)) {
            if (!inspection.touchesSafeOrGuard) {
                inspection.touchesSafeOrGuard = true;
                inspection.sensitiveTarget = target;
                inspection.sensitiveSelector = _selector(buffer, start, length);
            }
            return;
        }
        if (target != state.usdc) return;
        bytes4 selector = _selector(buffer, start, length);
        uint256 firstWord;
        if (length >= 36) {
            assembly {
                firstWord := mload(add(add(add(buffer, 0x20), start), 4))
            }
        }
        bool allowed =
            length == 68 && (selector == TRANSFER_SELECTOR || selector == APPROVE_SELECTOR) && firstWord >> 160 == 0;
        if (!allowed) {
            if (!inspection.usdcViolation) {
                inspection.usdcViolation = true;
                inspection.usdcSelector = selector;
                inspection.usdcDataLength = length;
            }
            return;
        }
        if (selector == APPROVE_SELECTOR) {
            if (inspection.approvals == MAX_APPROVALS) revert TooManyApprovals(MAX_APPROVALS);
            // forge-lint: disable-next-line(unsafe-typecast) -- firstWord >> 160 == 0 was just checked
            inspection.spenders[inspection.approvals++] = address(uint160(firstWord));
        }
    }

    /// @dev The cover is the last 133 bytes of `signatures`, after the `threshold` signatures the Safe
    /// reads (Safe ignores what follows them, and a contract signature's data lies before the cover). A
    /// blob without the magic, or too short to leave room for the threshold's signatures, is no cover.
    function _readCover(address safe, address guardian, bytes32 safeTxHash, bytes memory signatures)
        internal
        view
        returns (Cover memory cover)
    {
        if (signatures.length < ISafe(safe).getThreshold() * 65 + COVER_LENGTH) return cover;
        uint256 start = signatures.length - COVER_LENGTH;
        if (_selector(signatures, start, 4) != COVER_MAGIC) return cover;
        cover.present = true;
        cover.maxTokenOut = _wordAt(signatures, start + 4);
        cover.maxEthOut = _wordAt(signatures, start + 36);
        cover.validUntil = _wordAt(signatures, start + 68);
        bytes32 r = bytes32(_wordAt(signatures, start + 100));
        bytes32 s = bytes32(_wordAt(signatures, start + 132));
        uint8 v = uint8(signatures[start + 164]);
        // Only canonical signatures (low s, v 27 or 28), so a cover has exactly one valid encoding.
        if (uint256(s) <= SECP256K1_HALF_ORDER && (v == 27 || v == 28)) {
            cover.recovered = ecrecover(
                coverDigest(safe, safeTxHash, cover.maxTokenOut, cover.maxEthOut, cover.validUntil), v, r, s
            );
        }
        bool signedByGuardian = cover.recovered != address(0) && cover.recovered == guardian;
        // Inclusive: a cover is good in the block whose timestamp is validUntil. Guardian holds what it judged
        // until its safe head is past validUntil, and later blocks only have later times.
        cover.expired = signedByGuardian && block.timestamp > cover.validUntil;
        cover.valid = signedByGuardian && !cover.expired;
    }

    /// @dev The first treasury owner among the signers of the first `threshold` signatures, the ones Safe
    /// verified before calling the guard; zero if there is none. Signers are found as Safe's
    /// checkNSignatures finds them: v = 0 (an ERC-1271 contract signature) and v = 1 (an approved hash,
    /// or the executing owner itself) name their owner in r, and the Safe has just checked the contract's
    /// answer or the approval; v > 30 is eth_sign over the hash; otherwise ECDSA over the hash. Signatures
    /// past the threshold were not verified by anyone, so they do not count.
    function _treasurySigner(address safe, SafeState storage state, bytes32 safeTxHash, bytes memory signatures)
        internal
        view
        returns (address)
    {
        address[] memory treasury = state.treasuryOwners;
        if (treasury.length == 0) return address(0);
        uint256 threshold = ISafe(safe).getThreshold();
        for (uint256 i = 0; i < threshold; i++) {
            uint8 v;
            bytes32 r;
            bytes32 s;
            assembly {
                let position := mul(0x41, i)
                r := mload(add(signatures, add(position, 0x20)))
                s := mload(add(signatures, add(position, 0x40)))
                v := and(mload(add(signatures, add(position, 0x41))), 0xff)
            }
            address signer;
            if (v == 0 || v == 1) {
                signer = address(uint160(uint256(r)));
            } else if (v > 30) {
                signer = ecrecover(keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", safeTxHash)), v - 4, r, s);
            } else {
                signer = ecrecover(safeTxHash, v, r, s);
            }
            for (uint256 j = 0; j < treasury.length; j++) {
                if (signer == treasury[j]) return signer;
            }
        }
        return address(0);
    }

    // ------------------------------------------------------------------------------------------------
    // After execution
    // ------------------------------------------------------------------------------------------------

    function _afterCovered(address safe, bytes32 safeTxHash, SafeState storage state) internal {
        bytes32 setupBefore = bytes32(_load(safe, F_SETUP_HASH));
        bytes32 setupAfter = _setupHash(safe);
        if (setupAfter != setupBefore) revert SafeSetupChanged(setupBefore, setupAfter);

        address usdc = state.usdc;
        uint256 approvals = _load(safe, F_SPENDER_COUNT);
        for (uint256 i = 0; i < approvals; i++) {
            address spender = address(uint160(_load(safe, F_SPENDERS + i)));
            uint256 allowance = IUsdcBalances(usdc).allowance(safe, spender);
            if (allowance != 0) revert UsdcAllowanceLeft(spender, allowance);
        }

        uint256 usdcOut = _fell(_load(safe, F_USDC_BEFORE), IUsdcBalances(usdc).balanceOf(safe));
        uint256 coveredUsdc = _load(safe, F_MAX_TOKEN_OUT);
        if (usdcOut > coveredUsdc) revert UsdcOutflowExceedsCover(usdcOut, coveredUsdc);
        uint256 ethOut = _fell(_load(safe, F_ETH_BEFORE), safe.balance);
        uint256 coveredEth = _load(safe, F_MAX_ETH_OUT);
        if (ethOut > coveredEth) revert EthOutflowExceedsCover(ethOut, coveredEth);

        (uint256 windowStart, uint256 spent) = _currentWindow(state);
        uint256 cap = state.usdcCapPerWindow;
        // Compared without adding, as a lowered cap may already be below what the window spent.
        if (usdcOut > cap || spent > cap - usdcOut) {
            revert UsdcWindowCapExceeded(spent, usdcOut, cap, windowStart + state.windowSeconds);
        }
        spent += usdcOut;
        // forge-lint: disable-next-line(unsafe-typecast) -- a timestamp of this block or before it
        state.windowStart = uint64(windowStart);
        // forge-lint: disable-next-line(unsafe-typecast) -- spent <= cap, and configure keeps cap below 2^128
        state.spentInWindow = uint128(spent);
        emit CoveredTransactionExecuted(safe, safeTxHash, usdcOut, ethOut, spent);
    }

    /// @dev By how much a balance fell; a rise is no outflow, and it does not refill the window either.
    function _fell(uint256 before, uint256 afterExecution) internal pure returns (uint256) {
        return before > afterExecution ? before - afterExecution : 0;
    }

    /// @dev The window containing this block and what covered transactions have taken from it. Windows
    /// run back to back from the first configuration, so their boundaries never depend on when
    /// transactions happen to arrive.
    function _currentWindow(SafeState storage state) internal view returns (uint256 start, uint256 spent) {
        start = state.windowStart;
        spent = state.spentInWindow;
        uint256 length = state.windowSeconds;
        // forge-lint: disable-next-line(block-timestamp) -- windows last minutes to days; seconds do not matter
        if (block.timestamp >= start + length) {
            start = block.timestamp - ((block.timestamp - start) % length);
            spent = 0;
        }
    }

    /// @dev Everything about the Safe that only the treasury may change, in one hash: owners (in order),
    /// threshold, singleton, guard and fallback handler. Compared before and after a covered transaction,
    /// so no route the inspection missed can change them either.
    function _setupHash(address safe) internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                ISafe(safe).getOwners(),
                ISafe(safe).getThreshold(),
                _addressAt(safe, SINGLETON_STORAGE_SLOT),
                _addressAt(safe, GUARD_STORAGE_SLOT),
                _addressAt(safe, FALLBACK_HANDLER_STORAGE_SLOT)
            )
        );
    }

    // ------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------

    function _requireNoModule(address safe) internal view {
        (address[] memory modules,) = ISafe(safe).getModulesPaginated(SENTINEL, 1);
        if (modules.length != 0) revert ModuleEnabled(safe, modules[0]);
    }

    function _addressAt(address safe, uint256 slot) internal view returns (address) {
        return address(uint160(uint256(bytes32(ISafe(safe).getStorageAt(slot, 1)))));
    }

    /// @dev The first four bytes of buffer[start, start + length), zero-padded when shorter.
    function _selector(bytes memory buffer, uint256 start, uint256 length) internal pure returns (bytes4 selector) {
        if (length >= 4) {
            assembly {
                // Assembly leaves a bytes4 dirty below its four bytes; mask them off before it is compared.
                selector := and(mload(add(add(buffer, 0x20), start)), shl(224, 0xffffffff))
            }
        } else {
            for (uint256 i = 0; i < length; i++) {
                selector |= bytes4(buffer[start + i]) >> (8 * i);
            }
        }
    }

    function _wordAt(bytes memory buffer, uint256 offset) internal pure returns (uint256 word) {
        assembly {
            word := mload(add(add(buffer, 0x20), offset))
        }
    }

    function _beginInFlight(address safe, bytes32 safeTxHash, uint256 mode, address signer) internal {
        _store(safe, F_TX_HASH, uint256(safeTxHash));
        _store(safe, F_MODE, mode);
        _store(safe, F_SIGNER, uint256(uint160(signer)));
    }

    function _clearInFlight(address safe) internal {
        uint256 approvals = _load(safe, F_SPENDER_COUNT);
        for (uint256 field = F_TX_HASH; field < F_SPENDERS + approvals; field++) {
            _store(safe, field, 0);
        }
    }

    function _slot(address safe, uint256 field) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(safe, IN_FLIGHT_SEED))) + field;
    }

    function _store(address safe, uint256 field, uint256 value) internal {
        uint256 slot = _slot(safe, field);
        assembly {
            tstore(slot, value)
        }
    }

    function _load(address safe, uint256 field) internal view returns (uint256 value) {
        uint256 slot = _slot(safe, field);
        assembly {
            value := tload(slot)
        }
    }
}
