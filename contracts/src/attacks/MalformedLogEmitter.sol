// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title MalformedLogEmitter
/// @notice Emits a log with the ERC-20 Transfer signature but the wrong number of topics: no token
/// standard's event, yet one a decoder that trusts signatures chokes on. Test contract for Guardian's
/// rule that an undecodable trace is that request's denial, not a chain outage; never deploy.
contract MalformedLogEmitter {
    bytes32 private constant TRANSFER = keccak256("Transfer(address,address,uint256)");

    function emitMalformed() external {
        bytes32 topic = TRANSFER;
        assembly {
            log2(0, 0, topic, caller())
        }
    }

    /// @notice Emits `count` well-formed but unknown events: a trace as large as the caller wants.
    function emitMany(uint256 count) external {
        for (uint256 i = 0; i < count; i++) {
            emit Noise(i);
        }
    }

    event Noise(uint256 indexed i);
}
