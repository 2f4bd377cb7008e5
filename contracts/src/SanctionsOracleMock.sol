// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title SanctionsOracleMock
/// @notice A local stand-in for Chainalysis' on-chain sanctions oracle ("SanctionsList", deployed at
/// 0x40C57923924B5c5c5455c48D93317139ADDaC8fb on Ethereum and most EVM chains, 0x3A91A31cB3dC49b4db9Ce721F50a9D076c8D739B
/// on Base). Same external interface, selectors and events, so Guardian asks it exactly as it asks the real
/// one: `isSanctioned(address)` is selector 0xdf592f7d.
/// @dev The deployer becomes the owner. Only the owner adds and removes addresses, as on the real oracle.
contract SanctionsOracleMock is Ownable {
    mapping(address addr => bool) private _sanctioned;

    event SanctionedAddress(address indexed addr);
    event NonSanctionedAddress(address indexed addr);
    event SanctionedAddressesAdded(address[] addrs);
    event SanctionedAddressesRemoved(address[] addrs);

    constructor() Ownable(msg.sender) {}

    function name() external pure returns (string memory) {
        return "Chainalysis sanctions oracle";
    }

    function addToSanctionsList(address[] memory newSanctions) public onlyOwner {
        for (uint256 i = 0; i < newSanctions.length; i++) {
            _sanctioned[newSanctions[i]] = true;
        }
        emit SanctionedAddressesAdded(newSanctions);
    }

    function removeFromSanctionsList(address[] memory removeSanctions) public onlyOwner {
        for (uint256 i = 0; i < removeSanctions.length; i++) {
            _sanctioned[removeSanctions[i]] = false;
        }
        emit SanctionedAddressesRemoved(removeSanctions);
    }

    function isSanctioned(address addr) public view returns (bool) {
        return _sanctioned[addr];
    }

    /// @notice Like isSanctioned, and records the answer as an event (not view, as on the real oracle).
    function isSanctionedVerbose(address addr) public returns (bool) {
        if (_sanctioned[addr]) {
            emit SanctionedAddress(addr);
            return true;
        }
        emit NonSanctionedAddress(addr);
        return false;
    }
}
