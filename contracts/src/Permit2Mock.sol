// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Permit2Mock
/// @notice The allowance part of Uniswap's Permit2 (AllowanceTransfer), as Guardian reads and revokes it:
/// `approve`, `lockdown`, `allowance` and `transferFrom`, with Permit2's own events and storage layout of
/// (amount, expiration, nonce). For local chains and tests; never deploy with real money.
contract Permit2Mock {
    struct PackedAllowance {
        uint160 amount;
        uint48 expiration;
        uint48 nonce;
    }

    struct TokenSpenderPair {
        address token;
        address spender;
    }

    /// @notice owner => token => spender => allowance, as Permit2 keeps it.
    mapping(address => mapping(address => mapping(address => PackedAllowance))) public allowance;

    event Approval(
        address indexed owner, address indexed token, address indexed spender, uint160 amount, uint48 expiration
    );
    event Lockdown(address indexed owner, address token, address spender);

    /// @notice Lets `spender` move up to `amount` of the caller's `token` until `expiration` (0: this block).
    function approve(address token, address spender, uint160 amount, uint48 expiration) external {
        PackedAllowance storage allowed = allowance[msg.sender][token][spender];
        allowed.amount = amount;
        allowed.expiration = expiration == 0 ? uint48(block.timestamp) : expiration;
        emit Approval(msg.sender, token, spender, amount, expiration);
    }

    /// @notice Sets each (token, spender) allowance of the caller to zero.
    function lockdown(TokenSpenderPair[] calldata approvals) external {
        for (uint256 i = 0; i < approvals.length; i++) {
            allowance[msg.sender][approvals[i].token][approvals[i].spender].amount = 0;
            emit Lockdown(msg.sender, approvals[i].token, approvals[i].spender);
        }
    }

    /// @notice Moves `amount` of `from`'s `token` to `to` with the caller's allowance.
    function transferFrom(address from, address to, uint160 amount, address token) external {
        PackedAllowance storage allowed = allowance[from][token][msg.sender];
        require(block.timestamp <= allowed.expiration, "Permit2Mock: allowance expired");
        require(allowed.amount >= amount, "Permit2Mock: insufficient allowance");
        allowed.amount -= amount;
        (bool ok, bytes memory answer) =
            token.call(abi.encodeWithSignature("transferFrom(address,address,uint256)", from, to, amount));
        require(ok && (answer.length == 0 || abi.decode(answer, (bool))), "Permit2Mock: transfer failed");
    }
}
