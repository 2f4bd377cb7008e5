// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title GasPriceOracleMock
/// @notice Stands in for the OP Stack's GasPriceOracle predeploy (0x420000000000000000000000000000000000000F
/// on Base), whose getL1Fee(bytes) says what posting a transaction's data to L1 will cost on top of its L2
/// gas. Tests install it at that address on Anvil (anvil_setCode) and set a price per byte. Never deploy.
contract GasPriceOracleMock {
    uint256 public l1FeePerByte;

    function setL1FeePerByte(uint256 price) external {
        l1FeePerByte = price;
    }

    /// @notice The L1 data fee of an unsigned transaction: its RLP length, plus 68 bytes for the signature,
    /// at the configured price.
    function getL1Fee(bytes memory unsignedTransaction) external view returns (uint256) {
        return (unsignedTransaction.length + 68) * l1FeePerByte;
    }

    /// @notice The most the L1 data fee can be for an unsigned transaction of `unsignedTxSize` bytes (Fjord).
    function getL1FeeUpperBound(uint256 unsignedTxSize) external view returns (uint256) {
        return (unsignedTxSize + 68) * l1FeePerByte;
    }
}
