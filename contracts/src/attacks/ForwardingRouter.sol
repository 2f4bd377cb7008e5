// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title ForwardingRouter
/// @notice Takes the caller's tokens or ETH and passes them on to a recipient named in the call, like a
/// swap router, a bridge or a disperse contract. The wallet's money first reaches the router (which a
/// treasury may well allowlist) and ends with whoever the calldata names. Test contract for Guardian's
/// onward-recipient rule; never deploy with real money.
contract ForwardingRouter {
    using SafeERC20 for IERC20;

    event Forwarded(address indexed from, address indexed token, address indexed to, uint256 amount);

    /// @notice Pulls `amount` of `token` from the caller into the router, then sends it to `to`.
    function forward(address token, address to, uint256 amount) external {
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        IERC20(token).safeTransfer(to, amount);
        emit Forwarded(msg.sender, token, to, amount);
    }

    /// @notice Splits `amount` of `token` from the caller over `recipients`, through the router.
    function disperse(address token, address[] calldata recipients, uint256 amount) external {
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount * recipients.length);
        for (uint256 i = 0; i < recipients.length; i++) {
            IERC20(token).safeTransfer(recipients[i], amount);
        }
    }

    /// @notice Sends the ETH it is given on to `to`.
    function forwardEth(address payable to) external payable {
        (bool ok,) = to.call{value: msg.value}("");
        require(ok, "ForwardingRouter: ETH not accepted");
        emit Forwarded(msg.sender, address(0), to, msg.value);
    }
}
