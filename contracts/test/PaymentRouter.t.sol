// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {PaymentRouter} from "../src/PaymentRouter.sol";
import {TestUsdc} from "../src/TestUsdc.sol";
import {TestBase} from "./utils/TestBase.sol";

contract PaymentRouterTest is TestBase {
    uint256 internal constant PAYER_FUNDS = 1_000_000e6;

    TestUsdc internal usdc;
    PaymentRouter internal router;
    address internal payer = address(0xBA1E4);

    function setUp() public {
        usdc = new TestUsdc();
        router = new PaymentRouter();
        vm.label(payer, "payer");
        vm.label(address(router), "router");
        usdc.mint(payer, PAYER_FUNDS);
    }

    function test_paysEachRecipientExactlyFromTheCaller() public {
        address[] memory recipients = _recipients(3);
        uint256[] memory amounts = new uint256[](3);
        amounts[0] = 10e6;
        amounts[1] = 250_000;
        amounts[2] = 7e6;
        vm.prank(payer);
        usdc.approve(address(router), 17_250_000);

        vm.expectEmit(true, true, false, true);
        emit PaymentRouter.Paid(payer, address(usdc), 17_250_000, 3);
        vm.prank(payer);
        router.payMany(address(usdc), recipients, amounts);

        assertEq(usdc.balanceOf(recipients[0]), 10e6, "first recipient");
        assertEq(usdc.balanceOf(recipients[1]), 250_000, "second recipient");
        assertEq(usdc.balanceOf(recipients[2]), 7e6, "third recipient");
        assertEq(usdc.balanceOf(payer), PAYER_FUNDS - 17_250_000, "payer's balance");
        assertEq(usdc.balanceOf(address(router)), 0, "router keeps nothing");
        assertEq(usdc.allowance(payer, address(router)), 0, "allowance used up");
    }

    function test_revertsWithoutAllowance() public {
        address[] memory recipients = _recipients(1);
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = 5e6;

        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(router), 0, 5e6)
        );
        router.payMany(address(usdc), recipients, amounts);
    }

    function test_revertsOnLengthMismatch() public {
        address[] memory recipients = _recipients(2);
        uint256[] memory amounts = new uint256[](3);
        vm.prank(payer);
        usdc.approve(address(router), type(uint256).max);

        vm.prank(payer);
        vm.expectRevert(errorString("PaymentRouter: length mismatch"));
        router.payMany(address(usdc), recipients, amounts);
    }

    function test_oneBlacklistedRecipientRevertsTheWholeBatch() public {
        address[] memory recipients = _recipients(3);
        uint256[] memory amounts = new uint256[](3);
        amounts[0] = 1e6;
        amounts[1] = 1e6;
        amounts[2] = 1e6;
        usdc.blacklist(recipients[2]);
        vm.prank(payer);
        usdc.approve(address(router), 3e6);

        vm.prank(payer);
        vm.expectRevert(errorString("Blacklistable: account is blacklisted"));
        router.payMany(address(usdc), recipients, amounts);

        assertEq(usdc.balanceOf(recipients[0]), 0, "earlier recipient was not paid");
        assertEq(usdc.balanceOf(payer), PAYER_FUNDS, "payer's balance");
    }

    function test_paysFromTheCallerNotFromWhoeverApproved() public {
        // The payer's allowance to the router does not let anyone else spend the payer's tokens.
        address[] memory recipients = _recipients(1);
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = 1e6;
        vm.prank(payer);
        usdc.approve(address(router), 1e6);

        address stranger = address(0x5754A);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(router), 0, 1e6)
        );
        router.payMany(address(usdc), recipients, amounts);
    }

    function testFuzz_movesExactlyTheSumOfAmounts(uint64[] memory rawAmounts) public {
        uint256 count = rawAmounts.length > 8 ? 8 : rawAmounts.length;
        address[] memory recipients = _recipients(count);
        uint256[] memory amounts = new uint256[](count);
        uint256 sum = 0;
        for (uint256 i = 0; i < count; i++) {
            amounts[i] = rawAmounts[i];
            sum += rawAmounts[i];
        }
        usdc.mint(payer, sum);
        uint256 supplyBefore = usdc.totalSupply();
        vm.prank(payer);
        usdc.approve(address(router), sum);

        vm.expectEmit(true, true, false, true);
        emit PaymentRouter.Paid(payer, address(usdc), sum, count);
        vm.prank(payer);
        router.payMany(address(usdc), recipients, amounts);

        for (uint256 i = 0; i < count; i++) {
            assertEq(usdc.balanceOf(recipients[i]), amounts[i], "recipient's balance");
        }
        assertEq(usdc.balanceOf(payer), PAYER_FUNDS, "payer paid exactly the sum");
        assertEq(usdc.totalSupply(), supplyBefore, "total supply");
        assertEq(usdc.balanceOf(address(router)), 0, "router keeps nothing");
    }

    /// @dev Distinct, non-zero recipients that hold nothing yet.
    function _recipients(uint256 count) private pure returns (address[] memory recipients) {
        recipients = new address[](count);
        for (uint256 i = 0; i < count; i++) {
            // forge-lint: disable-next-line(unsafe-typecast) -- count is small, nothing is truncated
            recipients[i] = address(uint160(0xC0FFEE0000 + i));
        }
    }
}
