// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title PaymentRouter
/// @notice Pays several recipients from the caller's tokens in one call. The transaction's `to` is this
/// router and its calldata names no token transfer, yet the caller's money goes to the recipients:
/// exactly the case a guardian must judge by simulating effects rather than by reading calldata.
/// @dev The caller must first approve this router for at least the sum of `amounts`.
contract PaymentRouter {
    using SafeERC20 for IERC20;

    event Paid(address indexed payer, address indexed token, uint256 total, uint256 count);

    function payMany(address token, address[] calldata recipients, uint256[] calldata amounts) external {
        require(recipients.length == amounts.length, "PaymentRouter: length mismatch");
        uint256 total = 0;
        for (uint256 i = 0; i < recipients.length; i++) {
            IERC20(token).safeTransferFrom(msg.sender, recipients[i], amounts[i]);
            total += amounts[i];
        }
        emit Paid(msg.sender, token, total, recipients.length);
    }
}
