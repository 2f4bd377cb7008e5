// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title GasBurner
/// @notice Burns gas for the caller's money: `burn` loops over storage writes, and `tripwireCall` reverts
/// whenever its tripwire is armed, which anyone can do between a guardian's simulation and the block
/// that includes the guarded transaction. A reverted transaction still pays its fee. Test contract for
/// Guardian's fee ceilings, fee budgets and repeated-revert rule; never deploy with real money.
contract GasBurner {
    uint256[] private scratch;
    bool public armed;
    uint256 public calls;

    /// @notice Writes `rounds` storage slots (about 22,000 gas each): a fee of the caller's choosing.
    function burn(uint256 rounds) external {
        for (uint256 i = 0; i < rounds; i++) {
            scratch.push(i);
        }
    }

    /// @notice Succeeds while the tripwire is disarmed, reverts once armed.
    function tripwireCall() external {
        require(!armed, "GasBurner: tripwire armed");
        calls++;
    }

    function arm() external {
        armed = true;
    }

    function disarm() external {
        armed = false;
    }
}
