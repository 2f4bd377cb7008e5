// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {GasPriceOracleMock} from "../src/GasPriceOracleMock.sol";
import {TestBase} from "./utils/TestBase.sol";

contract GasPriceOracleMockTest is TestBase {
    function test_chargesTheDataAndTheSignatureAtThePricePerByte() public {
        GasPriceOracleMock oracle = new GasPriceOracleMock();
        assertEq(oracle.getL1Fee(hex"0102"), 0, "free until priced");
        oracle.setL1FeePerByte(1_000);
        assertEq(oracle.getL1Fee(hex"01020304"), (4 + 68) * 1_000, "four bytes plus a signature");
        assertEq(oracle.getL1FeeUpperBound(200), (200 + 68) * 1_000, "the bound for 200 bytes");
    }
}
