// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Enum} from "@safe-global/safe-contracts/contracts/common/Enum.sol";
import {GuardianSafeGuard} from "../../src/safe/GuardianSafeGuard.sol";
import {ISafe} from "../../src/safe/ISafe.sol";

/// @notice DELEGATECALL target that rewrites the calling Safe's guard slot: what foreign code run by
/// DELEGATECALL could do to a Safe.
contract GuardSlotWiper {
    function wipe() external {
        bytes32 slot = 0x4a204f620c8c5ccdca3fd54d003badd85ba500436a431f0cbda4f558c93c34c8;
        assembly {
            sstore(slot, 0)
        }
    }
}

/// @notice Called by a Safe, tries to get between the guard's check and its after-check: it executes a
/// second, fully co-signed Safe transaction from inside the first, and calls the guard's hooks itself.
/// Each attempt is caught and its revert data kept, so the test can read what stopped it.
contract Reentrant {
    struct Inner {
        address to;
        uint256 value;
        bytes data;
        bytes signatures;
    }

    Inner internal inner;
    bytes public nestedRevert;
    bytes public afterExecutionRevert;
    bool public nestedExecuted;

    function prepare(address to, uint256 value, bytes calldata data, bytes calldata signatures) external {
        inner = Inner(to, value, data, signatures);
    }

    function attack(ISafe safe, GuardianSafeGuard guard, bytes32 claimedOuterSafeTxHash) external {
        try safe.execTransaction(
            inner.to, inner.value, inner.data, Enum.Operation.Call, 0, 0, 0, address(0), payable(address(0)), inner.signatures
        ) returns (bool success) {
            nestedExecuted = success;
        } catch (bytes memory reason) {
            nestedRevert = reason;
        }
        // Closing the outer transaction early from here: the guard keys it by caller, and this is no Safe.
        try guard.checkAfterExecution(claimedOuterSafeTxHash, true) {}
        catch (bytes memory reason) {
            afterExecutionRevert = reason;
        }
    }
}

/// @notice Answers VERSION() like a Safe of another version, and nothing else.
contract OtherSafeVersion {
    function VERSION() external pure returns (string memory) {
        return "1.3.0";
    }

    function configure(GuardianSafeGuard guard, GuardianSafeGuard.SafeConfig calldata config) external {
        guard.configure(config);
    }
}

/// @notice A module: once enabled on a Safe, it moves the Safe's money without any signature, and Safe
/// 1.4.1 does not ask the guard.
contract DrainingModule {
    function drain(ISafe safe, address token, address to, uint256 amount) external {
        safe.execTransactionFromModule(
            token, 0, abi.encodeWithSignature("transfer(address,uint256)", to, amount), Enum.Operation.Call
        );
    }
}

/// @notice Stands where MultiSendCallOnly should be, had a treasury configured the wrong contract: it
/// accepts any well-formed batch and, run by DELEGATECALL, lowers the Safe's threshold in storage
/// (OwnerManager's `threshold` is slot 4). The inspection sees an empty batch; only the check after
/// execution can see what happened.
contract ThresholdLoweringMultiSend {
    function multiSend(bytes memory) external payable {
        assembly {
            sstore(4, 1)
        }
    }
}
