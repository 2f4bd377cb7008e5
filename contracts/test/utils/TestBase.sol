// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Vm} from "./Vm.sol";

/// @notice Base for the tests: the cheatcode handle plus assertions that revert with both values, since
/// a reverting test is a failing test in forge.
abstract contract TestBase {
    /// @dev address(uint160(uint256(keccak256("hevm cheat code")))), where forge serves cheatcodes.
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    function assertEq(uint256 actual, uint256 expected, string memory what) internal pure {
        if (actual != expected) {
            revert(string.concat(what, ": expected ", _toString(expected), " but was ", _toString(actual)));
        }
    }

    function assertEq(address actual, address expected, string memory what) internal pure {
        if (actual != expected) {
            revert(string.concat(what, ": expected another address"));
        }
    }

    function assertEq(string memory actual, string memory expected, string memory what) internal pure {
        if (keccak256(bytes(actual)) != keccak256(bytes(expected))) {
            revert(string.concat(what, ": expected '", expected, "' but was '", actual, "'"));
        }
    }

    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert(string.concat(what, ": expected true"));
    }

    function assertFalse(bool condition, string memory what) internal pure {
        if (condition) revert(string.concat(what, ": expected false"));
    }

    /// @dev Maps any fuzzed value into [min, max] without discarding runs (as forge-std's bound does).
    function bound(uint256 value, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (min == 0 && max == type(uint256).max) return value;
        return min + (value % (max - min + 1));
    }

    /// @dev The revert data a `require(condition, reason)` produces: Error(string) ABI-encoded.
    function errorString(string memory reason) internal pure returns (bytes memory) {
        return abi.encodeWithSignature("Error(string)", reason);
    }

    function _toString(uint256 value) private pure returns (string memory) {
        if (value == 0) return "0";
        uint256 digits;
        for (uint256 rest = value; rest != 0; rest /= 10) digits++;
        bytes memory text = new bytes(digits);
        for (; value != 0; value /= 10) {
            // forge-lint: disable-next-line(unsafe-typecast) -- an ASCII digit, always below 58
            text[--digits] = bytes1(uint8(48 + value % 10));
        }
        return string(text);
    }
}
