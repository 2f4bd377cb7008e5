-- Every transaction Guardian signs for a request: the first, each replacement with higher fees (same call,
-- same nonce), and a cancellation (a zero-value transfer to the wallet itself at that nonce). Any of them may
-- be mined, so the receipt worker follows them all; the request's own tx_hash is the payment it last signed,
-- and, once mined, the one that was. Append-only, like the audit log.
create table transaction_attempts (
    tx_hash                  bytea          primary key check (length(tx_hash) = 32),
    request_id               uuid           not null references requests (id),
    nonce                    bigint         not null check (nonce >= 0),
    purpose                  text           not null check (purpose in ('PAYMENT', 'CANCELLATION')),
    gas_limit                bigint         not null check (gas_limit > 0),
    max_fee_per_gas          numeric(78, 0) not null check (max_fee_per_gas >= 0),
    max_priority_fee_per_gas numeric(78, 0) not null check (max_priority_fee_per_gas >= 0),
    raw_tx                   bytea          not null,
    signed_at                timestamptz    not null
);
create index transaction_attempts_of_request on transaction_attempts (request_id, signed_at);

-- Requests signed before this migration have one attempt: the transaction they hold.
insert into transaction_attempts (tx_hash, request_id, nonce, purpose, gas_limit, max_fee_per_gas,
                                  max_priority_fee_per_gas, raw_tx, signed_at)
select tx_hash, id, nonce, 'PAYMENT', coalesce(gas_limit, 1), coalesce(max_fee_per_gas, 0),
       coalesce(max_priority_fee_per_gas, 0), raw_tx, updated_at
from requests where tx_hash is not null and raw_tx is not null and nonce is not null;

create function transaction_attempts_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'transaction attempts are append-only';
end $$;
create trigger transaction_attempts_append_only before update or delete on transaction_attempts
    for each row execute function transaction_attempts_append_only();

grant select, insert on transaction_attempts to guardian_app;
revoke update, delete, truncate on transaction_attempts from guardian_app;
