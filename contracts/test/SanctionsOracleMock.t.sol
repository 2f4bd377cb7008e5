// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SanctionsOracleMock} from "../src/SanctionsOracleMock.sol";
import {TestBase} from "./utils/TestBase.sol";

contract SanctionsOracleMockTest is TestBase {
    SanctionsOracleMock internal oracle;
    address internal stranger = address(0x5754A);
    // Chainalysis' own documentation vectors: POTEKHIN's ETH address (sanctioned) and a clean one.
    address internal constant LISTED = 0x7F367cC41522cE07553e823bf3be79A889DEbe1B;
    address internal constant CLEAN = 0x7f268357A8c2552623316e2562D90e642bB538E5;

    function setUp() public {
        oracle = new SanctionsOracleMock();
        vm.label(stranger, "stranger");
    }

    function test_hasTheChainalysisSelectorsAndName() public view {
        // Guardian calls the oracle by these selectors; the real contract has the same.
        assertTrue(oracle.isSanctioned.selector == bytes4(0xdf592f7d), "isSanctioned(address) selector");
        assertTrue(oracle.isSanctionedVerbose.selector == bytes4(0xa2a6bbd8), "isSanctionedVerbose(address) selector");
        assertTrue(oracle.addToSanctionsList.selector == bytes4(0xb972dfcc), "addToSanctionsList(address[]) selector");
        assertTrue(oracle.removeFromSanctionsList.selector == bytes4(0xef782431), "removeFromSanctionsList(address[]) selector");
        assertEq(oracle.name(), "Chainalysis sanctions oracle", "name");
    }

    function test_ownerAddsAndRemovesAddresses() public {
        address[] memory batch = _one(LISTED);

        vm.expectEmit(false, false, false, true);
        emit SanctionsOracleMock.SanctionedAddressesAdded(batch);
        oracle.addToSanctionsList(batch);
        assertTrue(oracle.isSanctioned(LISTED), "listed after add");
        assertFalse(oracle.isSanctioned(CLEAN), "others stay clean");

        vm.expectEmit(false, false, false, true);
        emit SanctionsOracleMock.SanctionedAddressesRemoved(batch);
        oracle.removeFromSanctionsList(batch);
        assertFalse(oracle.isSanctioned(LISTED), "delisted after remove");
    }

    function test_onlyTheOwnerChangesTheList() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        oracle.addToSanctionsList(_one(CLEAN));

        oracle.addToSanctionsList(_one(LISTED));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        oracle.removeFromSanctionsList(_one(LISTED));
        assertTrue(oracle.isSanctioned(LISTED), "still listed");
    }

    function test_verboseCheckEmitsTheAnswer() public {
        oracle.addToSanctionsList(_one(LISTED));

        vm.expectEmit(true, false, false, false);
        emit SanctionsOracleMock.SanctionedAddress(LISTED);
        assertTrue(oracle.isSanctionedVerbose(LISTED), "verbose: listed");

        vm.expectEmit(true, false, false, false);
        emit SanctionsOracleMock.NonSanctionedAddress(CLEAN);
        assertFalse(oracle.isSanctionedVerbose(CLEAN), "verbose: clean");
    }

    function testFuzz_answersExactlyForWhatWasAddedAndNotRemoved(address added, address other) public {
        vm.assume(added != other);
        oracle.addToSanctionsList(_one(added));

        assertTrue(oracle.isSanctioned(added), "added");
        assertFalse(oracle.isSanctioned(other), "never added");

        oracle.removeFromSanctionsList(_one(added));
        assertFalse(oracle.isSanctioned(added), "removed");
    }

    function _one(address who) private pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = who;
    }
}
