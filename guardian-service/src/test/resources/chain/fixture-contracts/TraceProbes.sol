// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// Contracts that exist only to produce call traces for CallTraceDecoderTest's recorded fixtures.
/// They are compiled and deployed by record-fixtures.js, never by the application.

/// An ERC-721: its Transfer and Approval events have the same signatures as ERC-20's but four topics.
contract ProbeNft is ERC721 {
    constructor() ERC721("Probe NFT", "PNFT") {}

    function mint(address to, uint256 id) external {
        _mint(to, id);
    }
}

contract TraceProbe {
    error Unauthorized(address caller, uint256 code);

    /// Moves tokens and ETH in a frame that then reverts; called by tryPay inside try/catch, so none of
    /// what happened in here (including the successful child calls) takes effect.
    function payThenFail(IERC20 token, address from, address to, uint256 amount) external payable {
        require(msg.sender == address(this), "TraceProbe: internal");
        token.transferFrom(from, to, amount);
        payable(to).transfer(msg.value);
        revert("TraceProbe: changed my mind");
    }

    /// Tries to pay `to` (the attempt reverts and is caught), then really pays `fallbackTo`.
    function tryPay(IERC20 token, address to, uint256 amount, address fallbackTo) external payable {
        try this.payThenFail{value: msg.value}(token, msg.sender, to, amount) {} catch {}
        token.transferFrom(msg.sender, fallbackTo, amount);
    }

    /// Forwards the attached ETH in equal parts: native value moves two calls deep.
    function splitEth(address payable[] calldata recipients) external payable {
        uint256 share = msg.value / recipients.length;
        for (uint256 i = 0; i < recipients.length; i++) {
            recipients[i].transfer(share);
        }
    }

    function overflow(uint256 x) external pure returns (uint256) {
        return x + type(uint256).max;
    }

    function deny() external view {
        revert Unauthorized(msg.sender, 7);
    }

    function bare() external pure {
        revert();
    }
}
