// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {TestUsdc} from "../src/TestUsdc.sol";
import {TestBase} from "./utils/TestBase.sol";

contract TestUsdcTest is TestBase {
    string internal constant BLACKLISTED = "Blacklistable: account is blacklisted";

    TestUsdc internal usdc;
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);
    address internal carol = address(0xCA401);

    function setUp() public {
        usdc = new TestUsdc();
        vm.label(alice, "alice");
        vm.label(bob, "bob");
        vm.label(carol, "carol");
        usdc.mint(alice, 1_000e6);
    }

    function test_looksLikeUsdc() public view {
        assertEq(usdc.decimals(), 6, "decimals");
        assertEq(usdc.name(), "Test USD Coin", "name");
        assertEq(usdc.symbol(), "USDC", "symbol");
        assertEq(usdc.owner(), address(this), "owner is the deployer");
    }

    function test_ownerMintsToAnyAccount() public {
        usdc.mint(bob, 250e6);

        assertEq(usdc.balanceOf(bob), 250e6, "bob's balance");
        assertEq(usdc.totalSupply(), 1_250e6, "total supply");
    }

    function test_strangerCannotMint() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        usdc.mint(alice, 1);
    }

    function test_strangerCannotBlacklistOrUnBlacklist() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        usdc.blacklist(bob);

        usdc.blacklist(bob);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        usdc.unBlacklist(bob);
    }

    function test_blacklistIsReportedAndAnnounced() public {
        vm.expectEmit(true, false, false, true);
        emit TestUsdc.Blacklisted(bob);
        usdc.blacklist(bob);
        assertTrue(usdc.isBlacklisted(bob), "bob after blacklist");
        assertFalse(usdc.isBlacklisted(alice), "alice, never listed");

        vm.expectEmit(true, false, false, true);
        emit TestUsdc.UnBlacklisted(bob);
        usdc.unBlacklist(bob);
        assertFalse(usdc.isBlacklisted(bob), "bob after unBlacklist");
    }

    function test_blacklistingTheZeroAddressIsRefusedSoMintingKeepsWorking() public {
        vm.expectRevert(errorString("Blacklistable: zero address"));
        usdc.blacklist(address(0));
    }

    function test_blacklistedAccountCannotTransfer() public {
        usdc.blacklist(alice);

        vm.prank(alice);
        vm.expectRevert(errorString(BLACKLISTED));
        // forge-lint: disable-next-line(erc20-unchecked-transfer) -- expected to revert
        usdc.transfer(bob, 1e6);
    }

    function test_transferToBlacklistedAccountReverts() public {
        usdc.blacklist(bob);

        vm.prank(alice);
        vm.expectRevert(errorString(BLACKLISTED));
        // forge-lint: disable-next-line(erc20-unchecked-transfer) -- expected to revert
        usdc.transfer(bob, 1e6);
    }

    function test_transferFromOutOfBlacklistedAccountReverts() public {
        vm.prank(alice);
        usdc.approve(carol, 10e6);
        usdc.blacklist(alice);

        vm.prank(carol);
        vm.expectRevert(errorString(BLACKLISTED));
        // forge-lint: disable-next-line(erc20-unchecked-transfer) -- expected to revert
        usdc.transferFrom(alice, bob, 1e6);
    }

    function test_transferFromToBlacklistedAccountReverts() public {
        vm.prank(alice);
        usdc.approve(carol, 10e6);
        usdc.blacklist(bob);

        vm.prank(carol);
        vm.expectRevert(errorString(BLACKLISTED));
        // forge-lint: disable-next-line(erc20-unchecked-transfer) -- expected to revert
        usdc.transferFrom(alice, bob, 1e6);
    }

    function test_blacklistedSpenderCannotTransferFromEvenWithUnlimitedAllowance() public {
        // An unlimited allowance is never decreased, so this path does not pass through _approve.
        vm.prank(alice);
        usdc.approve(carol, type(uint256).max);
        usdc.blacklist(carol);

        vm.prank(carol);
        vm.expectRevert(errorString(BLACKLISTED));
        // forge-lint: disable-next-line(erc20-unchecked-transfer) -- expected to revert
        usdc.transferFrom(alice, bob, 1e6);
    }

    function test_blacklistedAccountCannotApprove() public {
        usdc.blacklist(alice);

        vm.prank(alice);
        vm.expectRevert(errorString(BLACKLISTED));
        usdc.approve(carol, 1e6);
    }

    function test_approvingBlacklistedSpenderReverts() public {
        usdc.blacklist(carol);

        vm.prank(alice);
        vm.expectRevert(errorString(BLACKLISTED));
        usdc.approve(carol, 1e6);
    }

    function test_mintToBlacklistedAccountReverts() public {
        usdc.blacklist(bob);

        vm.expectRevert(errorString(BLACKLISTED));
        usdc.mint(bob, 1e6);
    }

    function test_unBlacklistRestoresTransfersBothWays() public {
        usdc.blacklist(alice);
        usdc.unBlacklist(alice);

        vm.prank(alice);
        assertTrue(usdc.transfer(bob, 100e6), "transfer returns true");
        vm.prank(bob);
        assertTrue(usdc.transfer(alice, 40e6), "transfer returns true");

        assertEq(usdc.balanceOf(alice), 940e6, "alice's balance");
        assertEq(usdc.balanceOf(bob), 60e6, "bob's balance");
    }

    function test_transferBeyondBalanceRevertsWithOpenZeppelinError() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, bob, 0, 1));
        // forge-lint: disable-next-line(erc20-unchecked-transfer) -- expected to revert
        usdc.transfer(alice, 1);
    }

    function testFuzz_transfersConserveTotalSupply(address to, uint256 amount) public {
        vm.assume(to != address(0) && to != alice);
        amount = bound(amount, 0, usdc.balanceOf(alice));
        uint256 supplyBefore = usdc.totalSupply();
        uint256 toBefore = usdc.balanceOf(to);

        vm.prank(alice);
        assertTrue(usdc.transfer(to, amount), "transfer returns true");

        assertEq(usdc.totalSupply(), supplyBefore, "total supply");
        assertEq(usdc.balanceOf(alice), 1_000e6 - amount, "sender's balance");
        assertEq(usdc.balanceOf(to), toBefore + amount, "recipient's balance");
    }

    function testFuzz_blacklistedAccountCanNeitherSendNorReceiveAnyAmount(address listed, uint256 amount) public {
        vm.assume(listed != address(0) && listed != alice);
        amount = bound(amount, 0, 1_000e6);
        usdc.blacklist(listed);

        vm.prank(alice);
        vm.expectRevert(errorString(BLACKLISTED));
        // forge-lint: disable-next-line(erc20-unchecked-transfer) -- expected to revert
        usdc.transfer(listed, amount);

        vm.prank(listed);
        vm.expectRevert(errorString(BLACKLISTED));
        // forge-lint: disable-next-line(erc20-unchecked-transfer) -- expected to revert
        usdc.transfer(alice, 0);
    }
}
