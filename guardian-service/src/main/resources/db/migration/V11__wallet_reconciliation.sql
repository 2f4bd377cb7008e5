-- Every wallet is reconciled with the chain, not only the transactions Guardian signed (docs/reconciliation.md).
-- Per wallet, a checkpoint: the last block reconciled, and the wallet's nonce and balances at its end, so the
-- next pass compares the chain at its own end with what Guardian's records explain in between. Anything
-- that left the wallet outside Guardian is an external outflow: recorded once, charged against the agent's
-- budgets, and it freezes the agent.

create table wallet_reconciliations (
    wallet_id     text primary key references wallets (id),
    -- Where reconciliation of the wallet began: the latest block when Guardian first saw the wallet.
    started_block bigint      not null check (started_block >= 0),
    block_number  bigint      not null check (block_number >= started_block),
    -- The wallet's confirmed nonce and balances at the end of block_number: {"ETH": "<units>", "USDC": ...}.
    nonce         bigint      not null check (nonce >= 0),
    balances      jsonb       not null,
    reconciled_at timestamptz not null
);

-- What left a wallet in a transaction Guardian did not sign (a spender's pull, covered by the allowance
-- exposure Guardian holds for it or not), a nonce Guardian did not sign for, or a balance that fell by more
-- than the chain's logs and Guardian's transactions explain. Recorded once each, never edited.
create table external_outflows (
    id            uuid primary key,
    wallet_id     text           not null references wallets (id),
    agent_id      text           not null references agents (id),
    kind          text           not null check (kind in ('TRANSFER', 'NONCE', 'BALANCE')),
    -- TRANSFER: the log's block. NONCE and BALANCE: the end of the range (from_block, block_number] it was found in.
    block_number  bigint         not null check (block_number >= 0),
    from_block    bigint check (from_block >= 0),
    tx_hash       bytea check (length(tx_hash) = 32),
    log_index     bigint check (log_index >= 0),
    nonce         bigint check (nonce >= 0),
    asset         text,
    units         numeric(78, 0) check (units >= 0),
    recipient     bytea check (length(recipient) = 20),
    -- TRANSFER: who moved the wallet's tokens (msg.sender of the token call), when not the wallet itself.
    spender       bytea check (length(spender) = 20),
    -- The part of a spender's pull that allowance exposure Guardian judged for that spender accounts for.
    covered_units numeric(78, 0) not null check (covered_units >= 0),
    -- Whether all of it is explained (a spender using an allowance Guardian judged): nothing is charged or frozen.
    explained     boolean        not null,
    description   text           not null,
    detected_at   timestamptz    not null,
    check (kind <> 'TRANSFER' or (tx_hash is not null and log_index is not null and asset is not null
                                  and units is not null and recipient is not null)),
    check (kind <> 'NONCE' or (nonce is not null and from_block is not null)),
    check (kind <> 'BALANCE' or (asset is not null and units is not null and from_block is not null)),
    check (units is null or covered_units <= units),
    check (not explained or (kind = 'TRANSFER' and covered_units = units))
);
-- Idempotent: a log, a nonce, a range of a wallet's balance is recorded once, however many passes or instances see it.
create unique index external_outflows_one_per_log on external_outflows (tx_hash, log_index) where kind = 'TRANSFER';
create unique index external_outflows_one_per_nonce on external_outflows (wallet_id, nonce) where kind = 'NONCE';
create unique index external_outflows_one_per_range on external_outflows (wallet_id, asset, from_block)
    where kind = 'BALANCE';
create index external_outflows_of_wallet on external_outflows (wallet_id, detected_at desc);
create index external_outflows_pulls on external_outflows (wallet_id, asset, spender) where kind = 'TRANSFER';

create function external_outflows_are_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'external_outflows is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
end $$;
create trigger external_outflows_no_update_or_delete before update or delete on external_outflows
    for each statement execute function external_outflows_are_append_only();
create trigger external_outflows_no_truncate before truncate on external_outflows
    for each statement execute function external_outflows_are_append_only();
grant select, insert on external_outflows to guardian_app;
revoke update, delete, truncate on external_outflows from guardian_app;

-- An external outflow is charged like a diverged request's extra: a reservation posted at once. A reservation
-- belongs to a request or to an external outflow, never both, so budgets keep reading the one table.
alter table reservations alter column request_id drop not null;
alter table reservations add column external_outflow_id uuid references external_outflows (id);
alter table reservations add constraint reservations_of_a_request_or_an_external_outflow
    check ((request_id is null) <> (external_outflow_id is null));

-- The treasury is told of an external outflow as of a diverged request: a webhook through the same outbox.
alter table webhook_deliveries alter column request_id drop not null;
alter table webhook_deliveries add column external_outflow_id uuid references external_outflows (id);
alter table webhook_deliveries add constraint webhook_deliveries_of_a_request_or_an_external_outflow
    check ((request_id is null) <> (external_outflow_id is null));
