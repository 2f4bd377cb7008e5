-- Guardian's first schema: agents and their wallets, requests with their decisions, budget
-- reservations, per-address nonces and the hash-chained audit log. Money is NUMERIC(78,0): the
-- smallest unit of the asset, wide enough for any uint256.

create table agents (
    id             text primary key,
    name           text        not null,
    frozen         boolean     not null default false,
    api_key_sha256 bytea       not null unique check (length(api_key_sha256) = 32),
    created_at     timestamptz not null default now()
);

create table wallets (
    id         text primary key,
    agent_id   text        not null references agents (id),
    address    bytea       not null unique check (length(address) = 20),
    sealed_key bytea       not null,
    created_at timestamptz not null default now()
);
create index wallets_agent on wallets (agent_id);

create table requests (
    id                  uuid primary key,
    agent_id            text        not null references agents (id),
    wallet_id           text        not null references wallets (id),
    idempotency_key     text,
    fingerprint         bytea       not null,
    kind                text        not null check (kind in ('PAYMENT', 'CONTRACT_CALL')),
    to_address          bytea       not null check (length(to_address) = 20),
    value_wei           numeric(78, 0) not null check (value_wei >= 0),
    data                bytea       not null,
    description         jsonb       not null,
    status              text        not null check (status in
                            ('DENIED', 'PENDING_APPROVAL', 'ALLOWED', 'SIGNED', 'SUBMITTED', 'CONFIRMED', 'FAILED')),
    verdict             text        not null check (verdict in ('ALLOW', 'ESCALATE', 'DENY')),
    reasons             jsonb       not null,
    effects             jsonb       not null,
    policy_version      text        not null,
    screening_version   text,
    nonce               bigint check (nonce >= 0),
    tx_hash             bytea unique check (length(tx_hash) = 32),
    raw_tx              bytea,
    block_number        bigint,
    failure             text,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    unique (agent_id, idempotency_key),
    unique (wallet_id, nonce)
);
create index requests_agent_created on requests (agent_id, created_at desc);
-- The background worker claims these with FOR UPDATE SKIP LOCKED.
create index requests_in_flight on requests (status, updated_at) where status in ('SIGNED', 'SUBMITTED');

create table reservations (
    id          bigserial primary key,
    request_id  uuid           not null references requests (id),
    agent_id    text           not null references agents (id),
    asset       text           not null,
    units       numeric(78, 0) not null check (units >= 0),
    status      text           not null check (status in ('HELD', 'COMMITTED', 'RELEASED')),
    reserved_at timestamptz    not null,
    settled_at  timestamptz,
    unique (request_id, asset)
);
create index reservations_counting on reservations (agent_id, asset, reserved_at) where status <> 'RELEASED';

-- Next nonce per sending address; the row lock serialises signing per address across instances.
create table nonces (
    address    bytea primary key check (length(address) = 20),
    next_nonce bigint not null check (next_nonce >= 0)
);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || canonical record). seq is gap-free because
-- appends take a transaction-scoped advisory lock and number themselves from the head.
create table audit_log (
    seq         bigint primary key check (seq >= 1),
    recorded_at timestamptz not null,
    request_id  uuid,
    event       text        not null,
    payload     jsonb       not null,
    prev_hash   bytea       not null check (length(prev_hash) = 32),
    hash        bytea       not null unique check (length(hash) = 32)
);
create index audit_log_request on audit_log (request_id, seq);
