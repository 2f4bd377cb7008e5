-- The treasury control plane: people and credentials managed in the database, agents that can be
-- created, frozen and retired at run time, teams with shared budgets, policies as immutable versioned
-- documents with one explicitly active version per agent, and a deployment-wide kill switch.

-- People who use Guardian besides agents. Roles are a set of ADMIN, TREASURY, APPROVER, AUDITOR.
create table people (
    id          text primary key,
    name        text        not null,
    roles       text[]      not null check (cardinality(roles) >= 1
                                and roles <@ array['ADMIN', 'TREASURY', 'APPROVER', 'AUDITOR']::text[]),
    created_at  timestamptz not null,
    created_by  text        not null,
    disabled_at timestamptz
);

-- Bearer tokens of people and agents, stored only as SHA-256. A token is usable while not revoked;
-- rotating creates a new row and revokes the old one in the same transaction.
create table credentials (
    id           uuid primary key,
    subject_kind text        not null check (subject_kind in ('AGENT', 'PERSON')),
    subject_id   text        not null,
    token_sha256 bytea       not null unique check (length(token_sha256) = 32),
    label        text        not null,
    created_at   timestamptz not null,
    created_by   text        not null,
    revoked_at   timestamptz,
    revoked_by   text
);
create index credentials_subject on credentials (subject_kind, subject_id) where revoked_at is null;

-- Agents keep their tokens in credentials from now on.
insert into credentials (id, subject_kind, subject_id, token_sha256, label, created_at, created_by)
select gen_random_uuid(), 'AGENT', id, api_key_sha256, 'configuration', created_at, 'configuration' from agents;
alter table agents drop column api_key_sha256;

-- Teams: several agents draw from a team's budgets on top of their own.
create table teams (
    id         text primary key,
    name       text        not null,
    budgets    jsonb       not null,
    version    integer     not null check (version >= 1),
    updated_at timestamptz not null,
    updated_by text        not null
);

alter table agents add column status text not null default 'ACTIVE' check (status in ('ACTIVE', 'RETIRED'));
alter table agents add column team_id text references teams (id);
alter table agents add column created_by text not null default 'configuration';
alter table agents add column retired_at timestamptz;

-- Every version of an agent's policy, as the canonical JSON document it was validated into. Versions are
-- immutable: a change is a new version, and rolling back is activating an older one.
create table policy_versions (
    agent_id   text        not null references agents (id),
    version    integer     not null check (version >= 1),
    document   jsonb       not null,
    comment    text        not null,
    created_at timestamptz not null,
    created_by text        not null,
    primary key (agent_id, version)
);
create function policy_versions_are_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'policy versions are immutable: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
end $$;
create trigger policy_versions_no_update_or_delete before update or delete on policy_versions
    for each statement execute function policy_versions_are_immutable();

-- The version that judges the agent's next request. Activation is an update of this one column.
alter table agents add column policy_version integer;
alter table agents add constraint agents_active_policy_exists
    foreign key (id, policy_version) references policy_versions (agent_id, version);
alter table agents add column policy_activated_at timestamptz;
alter table agents add column policy_activated_by text;

-- Which team a reservation counted against, so a team's spending is the sum over its reservations
-- whatever team its agents belong to later.
alter table reservations add column team_id text references teams (id);
create index reservations_team_counting on reservations (team_id, asset, reserved_at)
    where status <> 'RELEASED' and team_id is not null;

-- What each reservation sends to each counterparty, for per-counterparty caps. Counted while the
-- reservation (same request and asset) is not released.
create table counterparty_reservations (
    request_id   uuid           not null references requests (id),
    asset        text           not null,
    counterparty bytea          not null check (length(counterparty) = 20),
    units        numeric(78, 0) not null check (units >= 0),
    primary key (request_id, asset, counterparty)
);

-- The team budget version that judged a request, next to its policy version.
alter table requests add column team_id text;
alter table requests add column team_version integer;

-- Deployment-wide switches. 'freeze-all' is the kill switch: while engaged, every agent is refused.
create table switches (
    name       text primary key check (name in ('freeze-all')),
    engaged    boolean     not null,
    changed_at timestamptz not null,
    changed_by text        not null,
    comment    text        not null
);
insert into switches (name, engaged, changed_at, changed_by, comment)
values ('freeze-all', false, now(), 'configuration', 'initial state');

revoke update, delete on policy_versions from guardian_app;
