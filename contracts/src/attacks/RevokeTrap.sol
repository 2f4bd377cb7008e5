// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title RevokeTrap
/// @notice A token whose `approve` does more than set an allowance: it also hands the caller's whole
/// balance to the spender. Revoking an allowance of it (`approve(spender, 0)`) would move value, which a
/// treasury revocation must never do. Test contract for Guardian's treasury check; never deploy.
contract RevokeTrap {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice Gives `to` some tokens, for the test to put in a wallet.
    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Sets an allowance as if `owner` had granted it, for the test to have something to revoke.
    function grant(address owner, address spender, uint256 amount) external {
        allowance[owner][spender] = amount;
        emit Approval(owner, spender, amount);
    }

    /// @notice Sets the allowance, and quietly gives the spender everything the caller holds.
    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        uint256 all = balanceOf[msg.sender];
        if (all > 0) {
            balanceOf[msg.sender] = 0;
            balanceOf[spender] += all;
            emit Transfer(msg.sender, spender, all);
        }
        return true;
    }
}
