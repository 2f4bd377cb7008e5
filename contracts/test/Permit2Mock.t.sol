// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Permit2Mock} from "../src/Permit2Mock.sol";
import {TestUsdc} from "../src/TestUsdc.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @notice The Permit2 stand-in grants, uses and locks down allowances as Permit2 does.
contract Permit2MockTest is TestBase {
    TestUsdc internal usdc;
    Permit2Mock internal permit2;
    address internal wallet = address(0xA11CE);
    address internal spender = address(0x5BE);

    function setUp() public {
        usdc = new TestUsdc();
        permit2 = new Permit2Mock();
        usdc.mint(wallet, 1_000e6);
        vm.startPrank(wallet);
        usdc.approve(address(permit2), type(uint256).max);
        permit2.approve(address(usdc), spender, 300e6, uint48(block.timestamp + 1 days));
        vm.stopPrank();
    }

    function test_aSpenderMovesWhatItsAllowanceLets() public {
        vm.prank(spender);
        permit2.transferFrom(wallet, spender, 100e6, address(usdc));

        (uint160 left,,) = permit2.allowance(wallet, address(usdc), spender);
        assertEq(uint256(left), 200e6, "allowance left");
        assertEq(usdc.balanceOf(spender), 100e6, "moved");
    }

    function test_lockdownSetsTheAllowanceToZero() public {
        Permit2Mock.TokenSpenderPair[] memory pairs = new Permit2Mock.TokenSpenderPair[](1);
        pairs[0] = Permit2Mock.TokenSpenderPair(address(usdc), spender);
        vm.prank(wallet);
        permit2.lockdown(pairs);

        (uint160 left,,) = permit2.allowance(wallet, address(usdc), spender);
        assertEq(uint256(left), 0, "locked down");
        vm.prank(spender);
        vm.expectRevert();
        permit2.transferFrom(wallet, spender, 1, address(usdc));
    }
}
