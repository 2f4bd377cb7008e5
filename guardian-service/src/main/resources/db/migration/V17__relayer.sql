-- The relayer account (review of issue 13): a sending key of Guardian's own, generated at the first start and
-- sealed under the key-encryption key exactly as wallet keys are, that pays the gas of transactions anyone
-- may send on an agent's behalf. Its first user is the cancellation of an outstanding EIP-3009
-- authorization: the wallet still signs CancelAuthorization (only the authorizer can), but the relayer
-- submits cancelAuthorization, so a wallet that holds no ETH can still have its authorizations cancelled.
-- Issue 14 sends a Safe's execTransaction from it. One row per relayer; today there is one, 'default'.
create table relayer_accounts (
    id         text        primary key,
    address    bytea       not null unique check (length(address) = 20),
    sealed_key bytea       not null,
    created_at timestamptz not null
);

-- The application reads and creates it, and may replace its ciphertext when the key-encryption key is
-- rotated (as for wallets and audit keys); it never changes the address a key belongs to or deletes one.
revoke all on relayer_accounts from guardian_app;
grant select, insert on relayer_accounts to guardian_app;
grant update (sealed_key) on relayer_accounts to guardian_app;

-- A request whose transaction the relayer sends names it; null: the wallet sends its own (every request
-- before this migration). The request still belongs to the agent and the wallet it acts for; only the
-- sender, its key and its nonce are the relayer's.
alter table requests add column relayer text references relayer_accounts (id);

-- Nonces are per sending address: a wallet's own transactions are unique by wallet and nonce, as before;
-- the relayer's by relayer and nonce, whichever wallet they act for. The row lock on nonces (address) is
-- what serialises signing; these are the backstop.
alter table requests drop constraint requests_wallet_id_nonce_key;
create unique index requests_wallet_nonce on requests (wallet_id, nonce) where relayer is null;
create unique index requests_relayer_nonce on requests (relayer, nonce) where relayer is not null;

-- The watcher counts the failed and denied cancellations of a stopped authorization on each pass (to back
-- off); requests_one_cancellation (V16) covers only those on their way.
create index requests_cancellations on requests (cancels) where cancels is not null;
