-- Co-signed Safe wallets (issue 14). A wallet is of one of two kinds:
--   KEY   a key Guardian holds alone (every wallet before this migration): Guardian signs and sends its
--         transactions itself; sealed_key is that key and key_address its address, which is the wallet's.
--   SAFE  a Safe 1.4.1 proxy whose owners are the agent's own key (which Guardian never sees), Guardian's
--         co-signing key and the treasury's recovery owners, threshold 2, with GuardianSafeGuard installed in
--         its creation transaction. address is the Safe; sealed_key is Guardian's co-signing key, sealed as
--         wallet keys are, and key_address its address (an owner of the Safe, never a sender of anything).
-- V17 (the relayer) comes before: a Safe is created and its transactions are sent by the relayer account.
alter table wallets add column kind text not null default 'KEY' check (kind in ('KEY', 'SAFE'));
-- Null for a key wallet means its own address (so rows written as before this migration stay valid).
alter table wallets add column key_address bytea check (length(key_address) = 20);
alter table wallets add constraint wallets_key_address_by_kind
    check ((kind = 'KEY' and (key_address is null or key_address = address))
           or (kind = 'SAFE' and key_address is not null and key_address <> address));

-- What the Safe was created with, as Guardian created it and read it back from the chain. Only a treasury
-- owner's own Safe transaction can change the owners or the guard on chain; Guardian never co-signs one,
-- and wallet reconciliation compares these with the chain.
create table safe_wallets (
    wallet_id        text           primary key references wallets (id),
    agent_owner      bytea          not null check (length(agent_owner) = 20),
    guardian_owner   bytea          not null check (length(guardian_owner) = 20),
    treasury_owners  bytea[]        not null,
    threshold        integer        not null check (threshold >= 2),
    guard            bytea          not null check (length(guard) = 20),
    multi_send       bytea          not null check (length(multi_send) = 20),
    fallback_handler bytea          not null check (length(fallback_handler) = 20),
    usdc             bytea          not null check (length(usdc) = 20),
    usdc_cap_units   numeric(78, 0) not null check (usdc_cap_units >= 0),
    window_seconds   bigint         not null check (window_seconds > 0),
    salt_nonce       numeric(78, 0) not null check (salt_nonce >= 0),
    creation_request uuid,
    created_at       timestamptz    not null,
    check (agent_owner <> guardian_owner)
);
grant select, insert on safe_wallets to guardian_app;
revoke update, delete, truncate on safe_wallets from guardian_app;

-- SAFE_TRANSACTION: an agent's Safe transaction, signed by the agent, judged like any request, co-signed by
-- Guardian and sent by the relayer (or handed back for the agent to send). to_address, value_wei and data hold
-- the relayer's execTransaction call to the Safe, exactly as signed and simulated; safe_tx the Safe
-- transaction itself (to, value, data, operation, nonce, its hash, the agent's signature, Guardian's
-- signature and cover once co-signed, who sends it).
-- TREASURY_SAFE_CREATION: the relayer's createProxyWithNonce that creates a Safe wallet for a treasury.
alter table requests drop constraint requests_kind_check;
alter table requests add constraint requests_kind_check
    check (kind in ('PAYMENT', 'CONTRACT_CALL', 'TREASURY_REVOKE', 'TREASURY_SWEEP', 'TYPED_DATA', 'X402_PAYMENT',
                    'TREASURY_CANCEL_AUTHORIZATION', 'SAFE_TRANSACTION', 'TREASURY_SAFE_CREATION'));
alter table requests add column safe_tx jsonb;
-- Written right after the request's row, in the same transaction.
alter table requests add constraint requests_safe_tx_kinds check (safe_tx is null or kind = 'SAFE_TRANSACTION');
-- One request per Safe transaction hash that Guardian co-signed or is deciding: a second proposal of the same
-- Safe transaction is the same request (or refused), never a second co-signature.
create unique index requests_one_per_safe_tx on requests ((safe_tx ->> 'safeTxHash'))
    where safe_tx is not null and status not in ('DENIED', 'FAILED', 'REJECTED', 'EXPIRED');
