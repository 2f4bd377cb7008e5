// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title TestUsdc
/// @notice A USDC-shaped token for local chains: 6 decimals, owner-minted, and a blacklist that behaves
/// like Circle's FiatToken, so Guardian's simulation sees the same revert a sanctioned transfer gets on
/// mainnet ("Blacklistable: account is blacklisted", an Error(string) reason).
/// @dev The deployer becomes the owner. Only the owner mints and edits the blacklist.
contract TestUsdc is ERC20, Ownable {
    string internal constant BLACKLISTED = "Blacklistable: account is blacklisted";

    mapping(address account => bool) private _blacklisted;

    event Blacklisted(address indexed account);
    event UnBlacklisted(address indexed account);

    constructor() ERC20("Test USD Coin", "USDC") Ownable(msg.sender) {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    function isBlacklisted(address account) external view returns (bool) {
        return _blacklisted[account];
    }

    function blacklist(address account) external onlyOwner {
        // The zero address is the source of every mint; blacklisting it would silently disable minting.
        require(account != address(0), "Blacklistable: zero address");
        _blacklisted[account] = true;
        emit Blacklisted(account);
    }

    function unBlacklist(address account) external onlyOwner {
        _blacklisted[account] = false;
        emit UnBlacklisted(account);
    }

    /// @dev Every balance change (transfer, transferFrom, mint) passes here, so one check covers them all.
    function _update(address from, address to, uint256 value) internal override {
        require(!_blacklisted[from], BLACKLISTED);
        require(!_blacklisted[to], BLACKLISTED);
        super._update(from, to, value);
    }

    /// @dev Covers approve and the allowance decrease inside transferFrom.
    function _approve(address owner, address spender, uint256 value, bool emitEvent) internal override {
        require(!_blacklisted[owner], BLACKLISTED);
        require(!_blacklisted[spender], BLACKLISTED);
        super._approve(owner, spender, value, emitEvent);
    }

    /// @dev An unlimited allowance skips _approve, so a blacklisted spender is checked here as well,
    /// as FiatToken's transferFrom does.
    function _spendAllowance(address owner, address spender, uint256 value) internal override {
        require(!_blacklisted[spender], BLACKLISTED);
        super._spendAllowance(owner, spender, value);
    }
}
