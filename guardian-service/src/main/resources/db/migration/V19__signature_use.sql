-- What a typed-data signature that moves value lets the chain show, as Guardian recognised it when it signed
-- (OnChainUse.toJson: the token or Permit2, the authorizer or owner, the nonce or grants, the last usable
-- instant): the authorization watcher follows exactly this, not the typed data read again under a later
-- configuration (another Permit2 address, a USDC domain that no longer checks out). Requests signed before
-- this column existed have none; the watcher reads their typed data again, as it did then.
alter table requests add column on_chain_use jsonb;
alter table requests add constraint requests_on_chain_use_is_signed
    check (on_chain_use is null or (signature is not null and usable_until is not null));
