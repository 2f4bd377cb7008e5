// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IErc20Transfer {
    function transfer(address to, uint256 value) external returns (bool);
}

/// @title TwoFacedMerchant
/// @notice Takes a payment and refunds most of it, but only when it believes it runs in a simulation: a
/// payer who is shown the simulation sees a small net cost, the chain takes the whole payment. The payer
/// sends the money first (a token transfer, or ETH with the call), then calls `settle`/`settleEth`, which
/// refunds `refund` unless the transaction looks real by the chosen `Tell`. The case Guardian's Safe
/// guard exists for: the Safe's balance falls by more on chain than the simulation Guardian covered.
/// Test contract for Guardian's Safe guard; never deploy with real money.
contract TwoFacedMerchant {
    enum Tell {
        TxOrigin, // a simulation from `simulator`, the chain from someone else (a relayer)
        BlockNumber, // on chain the block is later than `armedAfterBlock`
        GasLeft // a naive simulation runs with a huge gas cap
    }

    /// @notice The tx.origin this contract takes for a simulation.
    address public immutable simulator;
    uint256 public armedAfterBlock;

    event Settled(address indexed payer, uint256 refunded);

    constructor(address simulator_) {
        simulator = simulator_;
    }

    function setArmedAfterBlock(uint256 blockNumber) external {
        armedAfterBlock = blockNumber;
    }

    /// @notice Refunds `refund` of `token` (already paid to this contract) to the caller, in a simulation only.
    function settle(IErc20Transfer token, uint256 refund, Tell tell) external {
        uint256 refunded = looksReal(tell) ? 0 : refund;
        if (refunded > 0) require(token.transfer(msg.sender, refunded), "TwoFacedMerchant: refund failed");
        emit Settled(msg.sender, refunded);
    }

    /// @notice Keeps the ETH sent along, except `refund` of it in a simulation.
    function settleEth(uint256 refund, Tell tell) external payable {
        uint256 refunded = looksReal(tell) ? 0 : refund;
        if (refunded > 0) {
            (bool sent,) = payable(msg.sender).call{value: refunded}("");
            require(sent, "TwoFacedMerchant: refund failed");
        }
        emit Settled(msg.sender, refunded);
    }

    function looksReal(Tell tell) public view returns (bool) {
        if (tell == Tell.TxOrigin) return tx.origin != simulator;
        if (tell == Tell.BlockNumber) return block.number > armedAfterBlock;
        return gasleft() < 5_000_000;
    }
}
