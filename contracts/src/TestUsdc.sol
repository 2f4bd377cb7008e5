// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @title TestUsdc
/// @notice A USDC-shaped token for local chains: 6 decimals, owner-minted, a blacklist that behaves like
/// Circle's FiatToken, so Guardian's simulation sees the same revert a sanctioned transfer gets on
/// mainnet ("Blacklistable: account is blacklisted", an Error(string) reason), and FiatToken v2.2's
/// payments by signature: EIP-3009 (transferWithAuthorization, receiveWithAuthorization,
/// cancelAuthorization) and EIP-2612 (permit), each with a (v, r, s) and a (bytes signature) form.
/// @dev The deployer becomes the owner. Only the owner mints and edits the blacklist.
///
/// The signature paths copy the behaviour of circlefin/stablecoin-evm (contracts/v2/EIP3009.sol,
/// EIP2612.sol, FiatTokenV2.sol, FiatTokenV2_2.sol, util/SignatureChecker.sol, util/ECRecover.sol),
/// because the x402 facilitator that settles against this token on Anvil was written for that code:
/// the same type hashes, the same EIP-712 domain (version "2", the chain id of the moment), the same
/// order of checks and the same revert strings. The code is written anew, not copied. FiatToken's
/// pause is left out (this token has none); everything else a signed payment meets is here.
contract TestUsdc is ERC20, Ownable {
    string internal constant BLACKLISTED = "Blacklistable: account is blacklisted";

    /// @notice keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH =
        0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267;

    /// @notice keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH =
        0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8;

    /// @notice keccak256("CancelAuthorization(address authorizer,bytes32 nonce)")
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH =
        0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429;

    /// @notice keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")
    bytes32 public constant PERMIT_TYPEHASH = 0x6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9;

    /// @dev keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
    bytes32 private constant EIP712_DOMAIN_TYPEHASH =
        0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f;

    /// @dev FiatToken's "2" is both version() and the EIP-712 domain version; wallets sign against it.
    string private constant VERSION = "2";

    /// @dev Half the secp256k1 order: FiatToken's ECRecover refuses a larger s (a malleable signature).
    uint256 private constant SECP256K1_HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    mapping(address account => bool) private _blacklisted;

    /// @dev authorizer => nonce => used or canceled. Nonces are random 32-byte values, not a counter,
    /// so that several authorizations can be outstanding at once and settle in any order.
    mapping(address authorizer => mapping(bytes32 nonce => bool)) private _authorizationStates;

    mapping(address owner => uint256) private _permitNonces;

    event Blacklisted(address indexed account);
    event UnBlacklisted(address indexed account);
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    /// @dev FiatToken's notBlacklisted modifier: its functions check the named parties before anything
    /// else, so a blacklisted payer gets this reason even with a bad signature.
    modifier notBlacklisted(address account) {
        require(!_blacklisted[account], BLACKLISTED);
        _;
    }

    constructor() ERC20("Test USD Coin", "USDC") Ownable(msg.sender) {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice FiatToken v2.1+'s version, which is also the EIP-712 domain version.
    function version() external pure returns (string memory) {
        return VERSION;
    }

    /// @notice The EIP-712 domain separator, computed on every call for the current chain id as
    /// FiatToken v2.2 does (so a fork with another chain id gets a different one).
    // forge-lint: disable-next-line(mixed-case-function) -- EIP-2612's name
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparator();
    }

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    function isBlacklisted(address account) external view returns (bool) {
        return _blacklisted[account];
    }

    function blacklist(address account) external onlyOwner {
        // The zero address is the source of every mint; blacklisting it would silently disable minting.
        require(account != address(0), "Blacklistable: zero address");
        _blacklisted[account] = true;
        emit Blacklisted(account);
    }

    function unBlacklist(address account) external onlyOwner {
        _blacklisted[account] = false;
        emit UnBlacklisted(account);
    }

    // ---- EIP-3009 -------------------------------------------------------------------------------

    /// @notice True once the authorizer's nonce has been used or canceled.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool) {
        return _authorizationStates[authorizer][nonce];
    }

    /// @notice Moves `value` from `from` to `to` on `from`'s signed authorization; anyone may submit it.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external notBlacklisted(from) notBlacklisted(to) {
        _transferWithAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            abi.encodePacked(r, s, v)
        );
    }

    /// @notice As above, with the signature as bytes: 65 bytes r‖s‖v from an EOA, or whatever an
    /// ERC-1271 wallet at `from` accepts.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) external notBlacklisted(from) notBlacklisted(to) {
        _transferWithAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, signature
        );
    }

    /// @notice Like transferWithAuthorization, but only the payee may submit it, so nobody can front-run
    /// the payee's own call (for instance a deposit into a contract that pulls the payment).
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external notBlacklisted(from) notBlacklisted(to) {
        require(to == msg.sender, "FiatTokenV2: caller must be the payee");
        _transferWithAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            abi.encodePacked(r, s, v)
        );
    }

    /// @notice As above, with the signature as bytes.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) external notBlacklisted(from) notBlacklisted(to) {
        require(to == msg.sender, "FiatTokenV2: caller must be the payee");
        _transferWithAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, signature
        );
    }

    /// @notice Burns an unused nonce on the authorizer's signature, so an authorization given with it
    /// can never be used. FiatToken does not check the blacklist here, and neither does this.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external {
        _cancelAuthorization(authorizer, nonce, abi.encodePacked(r, s, v));
    }

    /// @notice As above, with the signature as bytes.
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes memory signature) external {
        _cancelAuthorization(authorizer, nonce, signature);
    }

    // ---- EIP-2612 -------------------------------------------------------------------------------

    /// @notice The nonce the owner's next permit must be signed with.
    function nonces(address owner) external view returns (uint256) {
        return _permitNonces[owner];
    }

    /// @notice Sets `spender`'s allowance over `owner`'s tokens on `owner`'s signature. `deadline` is the
    /// last valid second, or type(uint256).max for none.
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        _permit(owner, spender, value, deadline, abi.encodePacked(r, s, v));
    }

    /// @notice As above, with the signature as bytes.
    function permit(address owner, address spender, uint256 value, uint256 deadline, bytes memory signature) external {
        _permit(owner, spender, value, deadline, signature);
    }

    // ---- internals ------------------------------------------------------------------------------

    /// @dev Every balance change (transfer, transferFrom, mint) passes here, so one check covers them all.
    function _update(address from, address to, uint256 value) internal override {
        require(!_blacklisted[from], BLACKLISTED);
        require(!_blacklisted[to], BLACKLISTED);
        super._update(from, to, value);
    }

    /// @dev Covers approve and the allowance decrease inside transferFrom.
    function _approve(address owner, address spender, uint256 value, bool emitEvent) internal override {
        require(!_blacklisted[owner], BLACKLISTED);
        require(!_blacklisted[spender], BLACKLISTED);
        super._approve(owner, spender, value, emitEvent);
    }

    /// @dev An unlimited allowance skips _approve, so a blacklisted spender is checked here as well,
    /// as FiatToken's transferFrom does.
    function _spendAllowance(address owner, address spender, uint256 value) internal override {
        require(!_blacklisted[spender], BLACKLISTED);
        super._spendAllowance(owner, spender, value);
    }

    /// @dev Shared by transfer- and receiveWithAuthorization, which differ only in the type hash signed
    /// (and the payee check their callers make). FiatToken's order: time window, unused nonce,
    /// signature, mark used, transfer.
    function _transferWithAuthorization(
        bytes32 typeHash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) private {
        // The window is in seconds and spans far more than the few seconds a validator can shift time.
        // forge-lint: disable-next-line(block-timestamp)
        require(block.timestamp > validAfter, "FiatTokenV2: authorization is not yet valid");
        // forge-lint: disable-next-line(block-timestamp)
        require(block.timestamp < validBefore, "FiatTokenV2: authorization is expired");
        _requireUnusedAuthorization(from, nonce);
        _requireValidSignature(
            from, keccak256(abi.encode(typeHash, from, to, value, validAfter, validBefore, nonce)), signature
        );

        _authorizationStates[from][nonce] = true;
        emit AuthorizationUsed(from, nonce);
        _fiatTokenTransfer(from, to, value);
    }

    function _cancelAuthorization(address authorizer, bytes32 nonce, bytes memory signature) private {
        _requireUnusedAuthorization(authorizer, nonce);
        _requireValidSignature(
            authorizer, keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)), signature
        );

        _authorizationStates[authorizer][nonce] = true;
        emit AuthorizationCanceled(authorizer, nonce);
    }

    /// @dev FiatToken v2.2's permit checks neither party against the blacklist (v2.2 dropped that from
    /// approve and permit), so this bypasses the blacklist in this contract's _approve and calls
    /// OpenZeppelin's directly. The nonce is consumed in the hash, as FiatToken does; a failed check
    /// reverts and so leaves it unconsumed.
    function _permit(address owner, address spender, uint256 value, uint256 deadline, bytes memory signature) private {
        // forge-lint: disable-next-line(block-timestamp) -- a deadline in seconds, as EIP-2612 defines it
        require(deadline == type(uint256).max || deadline >= block.timestamp, "FiatTokenV2: permit is expired");

        bytes32 digest = _typedDataHash(
            keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, _permitNonces[owner]++, deadline))
        );
        require(_isValidSignatureNow(owner, digest, signature), "EIP2612: invalid signature");

        // FiatTokenV1._approve's reasons; the owner cannot be zero here, since no signature recovers to it.
        require(spender != address(0), "ERC20: approve to the zero address");
        ERC20._approve(owner, spender, value, true);
    }

    /// @dev FiatTokenV1._transfer's checks and reasons, made before OpenZeppelin's transfer (which
    /// would revert with its own custom errors instead), so a facilitator sees FiatToken's strings.
    function _fiatTokenTransfer(address from, address to, uint256 value) private {
        require(to != address(0), "ERC20: transfer to the zero address");
        require(value <= balanceOf(from), "ERC20: transfer amount exceeds balance");
        _transfer(from, to, value);
    }

    function _requireUnusedAuthorization(address authorizer, bytes32 nonce) private view {
        require(!_authorizationStates[authorizer][nonce], "FiatTokenV2: authorization is used or canceled");
    }

    function _requireValidSignature(address signer, bytes32 structHash, bytes memory signature) private view {
        require(_isValidSignatureNow(signer, _typedDataHash(structHash), signature), "FiatTokenV2: invalid signature");
    }

    function _domainSeparator() private view returns (bytes32) {
        return keccak256(
            abi.encode(
                EIP712_DOMAIN_TYPEHASH,
                keccak256(bytes(name())),
                keccak256(bytes(VERSION)),
                block.chainid,
                address(this)
            )
        );
    }

    function _typedDataHash(bytes32 structHash) private view returns (bytes32) {
        return keccak256(abi.encodePacked(hex"1901", _domainSeparator(), structHash));
    }

    /// @dev FiatToken's SignatureChecker: an address with code is asked through ERC-1271 only; any
    /// other address must be the ECDSA signer. Unlike OpenZeppelin's SignatureChecker, which tries
    /// ECDSA first for every address and never reverts, a malformed EOA signature reverts here with
    /// FiatToken's ECRecover reasons.
    function _isValidSignatureNow(address signer, bytes32 digest, bytes memory signature) private view returns (bool) {
        if (signer.code.length == 0) {
            return _recover(digest, signature) == signer;
        }
        (bool success, bytes memory result) =
            signer.staticcall(abi.encodeWithSelector(IERC1271.isValidSignature.selector, digest, signature));
        return
            success && result.length >= 32
                && abi.decode(result, (bytes32)) == bytes32(IERC1271.isValidSignature.selector);
    }

    /// @dev FiatToken's ECRecover: 65 bytes r‖s‖v, low s, v of 27 or 28, and a non-zero signer, each
    /// refused with its own reason rather than reported as a mismatch.
    function _recover(bytes32 digest, bytes memory signature) private pure returns (address) {
        require(signature.length == 65, "ECRecover: invalid signature length");
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        require(uint256(s) <= SECP256K1_HALF_ORDER, "ECRecover: invalid signature 's' value");
        require(v == 27 || v == 28, "ECRecover: invalid signature 'v' value");
        address signer = ecrecover(digest, v, r, s);
        require(signer != address(0), "ECRecover: invalid signature");
        return signer;
    }
}
