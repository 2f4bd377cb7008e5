// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ClaimVault} from "../../src/attacks/ClaimVault.sol";
import {ForwardingRouter} from "../../src/attacks/ForwardingRouter.sol";
import {GasBurner} from "../../src/attacks/GasBurner.sol";
import {RevokeTrap} from "../../src/attacks/RevokeTrap.sol";
import {IERC20Like, SimulationDetector} from "../../src/attacks/SimulationDetector.sol";
import {TestUsdc} from "../../src/TestUsdc.sol";
import {TestBase} from "../utils/TestBase.sol";

/// @notice The attack contracts do what their Guardian tests rely on: money moves without a transfer
/// out of the depositor, onward past the router, and fees burn.
contract AttackContractsTest is TestBase {
    TestUsdc internal usdc;
    address internal wallet = address(0xA11CE);
    address internal attacker = address(0xBAD);
    address internal funder = address(0xF00D);

    function setUp() public {
        usdc = new TestUsdc();
        usdc.mint(funder, 1_000e6);
    }

    function test_aClaimLeavesTheVaultToAnyReceiverWithoutATransferFromTheDepositor() public {
        ClaimVault vault = new ClaimVault();
        vm.startPrank(funder);
        usdc.approve(address(vault), 300e6);
        vault.depositFor(wallet, address(usdc), 300e6);
        vm.stopPrank();

        vm.prank(wallet);
        vault.withdrawTo(address(usdc), 120e6, attacker);

        assertEq(usdc.balanceOf(attacker), 120e6, "attacker got the claim");
        assertEq(usdc.balanceOf(wallet), 0, "the depositor itself never held or sent a token");
        assertEq(vault.claims(wallet, address(usdc)), 180e6, "claim left");
    }

    function test_pingMakesAnOperatorWhoCanDrainTheClaim() public {
        ClaimVault vault = new ClaimVault();
        vm.startPrank(funder);
        usdc.approve(address(vault), 50e6);
        vault.depositFor(wallet, address(usdc), 50e6);
        vm.stopPrank();

        vm.prank(wallet);
        vault.ping(attacker);
        vm.prank(attacker);
        vault.withdrawFor(wallet, address(usdc), 50e6, attacker);

        assertEq(usdc.balanceOf(attacker), 50e6, "operator drained it");
    }

    function test_theRouterPassesTheCallersTokensAndEthOnToWhoeverTheCallNames() public {
        ForwardingRouter router = new ForwardingRouter();
        usdc.mint(wallet, 100e6);
        vm.deal(wallet, 1 ether);

        vm.startPrank(wallet);
        usdc.approve(address(router), 100e6);
        router.forward(address(usdc), attacker, 60e6);
        address[] memory many = new address[](2);
        many[0] = attacker;
        many[1] = address(0xBAD2);
        router.disperse(address(usdc), many, 20e6);
        router.forwardEth{value: 0.5 ether}(payable(attacker));
        vm.stopPrank();

        assertEq(usdc.balanceOf(attacker), 80e6, "forwarded and dispersed");
        assertEq(usdc.balanceOf(address(0xBAD2)), 20e6, "dispersed");
        assertEq(usdc.balanceOf(address(router)), 0, "the router keeps nothing");
        assertEq(attacker.balance, 0.5 ether, "ETH forwarded");
    }

    function test_theTripwireRevertsOnceArmedAndBurnCostsGasPerRound() public {
        GasBurner burner = new GasBurner();
        burner.tripwireCall();
        burner.arm();
        vm.expectRevert();
        burner.tripwireCall();
        burner.disarm();
        burner.tripwireCall();
        assertEq(burner.calls(), 2, "calls that got through");

        uint256 before = gasleft();
        burner.burn(10);
        assertTrue(before - gasleft() > 10 * 20_000, "each round writes a fresh slot");
    }

    function test_theDetectorPaysThePayeeUnderANaiveSimulationAndTheThiefOnChain() public {
        SimulationDetector detector = new SimulationDetector(attacker);
        vm.prank(funder);
        usdc.transfer(wallet, 100e6);
        vm.prank(wallet);
        usdc.approve(address(detector), 100e6);

        // A naive simulation: zero gas price.
        vm.txGasPrice(0);
        vm.prank(wallet);
        detector.pay(IERC20Like(address(usdc)), funder, 10e6, SimulationDetector.Tell.GasPrice);
        assertEq(usdc.balanceOf(funder), 900e6 + 10e6, "the payee was paid while the gas price was zero");

        // On chain: a real gas price.
        vm.txGasPrice(1 gwei);
        vm.prank(wallet);
        detector.pay(IERC20Like(address(usdc)), funder, 10e6, SimulationDetector.Tell.GasPrice);
        assertEq(usdc.balanceOf(attacker), 10e6, "the thief was paid once the gas price was real");
    }

    function test_theDetectorTellsTheBlockNumberBaseFeeAndASwitchApart() public {
        SimulationDetector detector = new SimulationDetector(attacker);
        detector.setArmedAfterBlock(block.number);
        assertFalse(detector.looksReal(SimulationDetector.Tell.BlockNumber), "the latest block looks simulated");
        vm.roll(block.number + 1);
        assertTrue(detector.looksReal(SimulationDetector.Tell.BlockNumber), "the next block looks real");

        detector.setBaseFeeAtLeast(5 gwei);
        vm.fee(1 gwei);
        assertFalse(detector.looksReal(SimulationDetector.Tell.BaseFee), "a low base fee looks simulated");
        vm.fee(5 gwei);
        assertTrue(detector.looksReal(SimulationDetector.Tell.BaseFee), "a high base fee looks real");

        assertFalse(detector.looksReal(SimulationDetector.Tell.Switch), "switch off");
        detector.flip(true);
        assertTrue(detector.looksReal(SimulationDetector.Tell.Switch), "switch on");
    }

    function test_revokingAnAllowanceOfTheTrapHandsTheCallersBalanceToTheSpender() public {
        RevokeTrap trap = new RevokeTrap();
        trap.mint(wallet, 500);
        trap.grant(wallet, attacker, 100);

        vm.prank(wallet);
        trap.approve(attacker, 0);

        assertEq(trap.allowance(wallet, attacker), 0, "allowance revoked");
        assertEq(trap.balanceOf(attacker), 500, "and the balance moved with it");
        assertEq(trap.balanceOf(wallet), 0, "the caller kept nothing");
    }
}
