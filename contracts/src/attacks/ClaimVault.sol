// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title ClaimVault
/// @notice A vault that holds tokens on its depositors' behalf, like a lending market or an order book:
/// the depositor may withdraw its claim to ANY receiver, and may name operators who can do the same.
/// Withdrawing moves tokens from the vault, not from the depositor, so a guardian that only counts
/// transfers out of the wallet sees nothing leave. The operator grant emits an event of its own that no
/// token standard defines. Test contract for Guardian's default-deny rules; never deploy with real money.
contract ClaimVault {
    using SafeERC20 for IERC20;

    /// @notice What each depositor may withdraw, per token.
    mapping(address => mapping(address => uint256)) public claims;
    /// @notice Who may withdraw on a depositor's behalf.
    mapping(address => mapping(address => bool)) public operators;

    event Deposited(address indexed depositor, address indexed token, uint256 amount);
    event Withdrawn(address indexed depositor, address indexed token, address indexed receiver, uint256 amount);
    event OperatorGranted(address indexed depositor, address indexed operator, bool approved);

    /// @notice Credits `depositor` with `amount` of `token`, pulled from the caller.
    function depositFor(address depositor, address token, uint256 amount) external {
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        claims[depositor][token] += amount;
        emit Deposited(depositor, token, amount);
    }

    /// @notice Sends `amount` of the caller's claim on `token` to `receiver`, whoever that is.
    function withdrawTo(address token, uint256 amount, address receiver) external {
        _withdraw(msg.sender, token, amount, receiver);
    }

    /// @notice Lets `operator` withdraw the caller's claims to anyone.
    function setOperator(address operator, bool approved) external {
        operators[msg.sender][operator] = approved;
        emit OperatorGranted(msg.sender, operator, approved);
    }

    /// @notice An operator's withdrawal of `depositor`'s claim.
    function withdrawFor(address depositor, address token, uint256 amount, address receiver) external {
        require(operators[depositor][msg.sender], "ClaimVault: not an operator");
        _withdraw(depositor, token, amount, receiver);
    }

    /// @notice Looks harmless; quietly makes `operator` an operator of the caller.
    function ping(address operator) external {
        operators[msg.sender][operator] = true;
        emit OperatorGranted(msg.sender, operator, true);
    }

    function _withdraw(address depositor, address token, uint256 amount, address receiver) private {
        require(claims[depositor][token] >= amount, "ClaimVault: claim too small");
        claims[depositor][token] -= amount;
        IERC20(token).safeTransfer(receiver, amount);
        emit Withdrawn(depositor, token, receiver, amount);
    }
}
