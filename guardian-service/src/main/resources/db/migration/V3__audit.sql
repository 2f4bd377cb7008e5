-- The auditor's evidence chain: each audit record is stored as the exact canonical JSON (RFC 8785) that
-- its hash covers, the table is append-only for everyone, the application's role may only read and
-- insert it, and the Ed25519 key that signs checkpoints is kept sealed beside it. See docs/audit.md.

-- Records written before this migration used another canonical form and cannot be verified by the
-- tools of this one. Guardian had no release with them; refuse rather than mix two formats in one chain.
do $$
begin
    if exists (select 1 from audit_log) then
        raise exception 'audit_log holds % records in the pre-release format; export them and start a new database',
            (select count(*) from audit_log);
    end if;
end $$;

alter table audit_log add column actor text not null;
-- The record body exactly as hashed: hash = SHA-256(canonical). The other columns are an index into it.
alter table audit_log add column canonical text not null;
alter table audit_log add constraint audit_log_hash_is_sha256_of_canonical
    check (hash = sha256(convert_to(canonical, 'UTF8')));
-- One chain: no two records may claim the same predecessor (a fork), whichever instance wrote them.
alter table audit_log add constraint audit_log_one_successor unique (prev_hash);

-- The auditor API filters on the payload (agent, wallet, verdict, rule id, transaction hash) and time.
create index audit_log_payload on audit_log using gin (payload jsonb_path_ops);
create index audit_log_recorded_at on audit_log (recorded_at);
create index audit_log_event on audit_log (event, seq);

-- Append-only for everyone, the owner included: updates, deletes and truncation are refused outright.
-- (An owner can still disable a trigger; that is what the hash chain and the signed checkpoints catch.)
create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
end $$;
create trigger audit_log_no_update_or_delete before update or delete on audit_log
    for each statement execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_is_append_only();

-- The Ed25519 key that signs checkpoints: its private half sealed (AES-256-GCM) under the same
-- key-encryption key as the wallet keys, never stored in the clear. At most one key is active.
create table audit_keys (
    key_id     text primary key,
    public_key bytea       not null unique check (length(public_key) = 32),
    sealed_key bytea       not null,
    created_at timestamptz not null,
    retired_at timestamptz
);
create unique index audit_keys_one_active on audit_keys ((true)) where retired_at is null;
create trigger audit_keys_no_delete before delete or truncate on audit_keys
    for each statement execute function audit_log_is_append_only();

-- The application's database role. Guardian migrates as the schema owner and runs as a login role that
-- is a member of guardian_app, which may read and write its tables but only read and insert the audit
-- log and its keys. Operators create the login role (docs/operations.md); the embedded database does it.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'guardian_app') then
        create role guardian_app nologin;
    end if;
end $$;
grant usage on schema public to guardian_app;
grant select, insert, update, delete on all tables in schema public to guardian_app;
grant usage, select, update on all sequences in schema public to guardian_app;
-- Tables that later migrations create get the same rights, unless they say otherwise.
alter default privileges in schema public grant select, insert, update, delete on tables to guardian_app;
alter default privileges in schema public grant usage, select, update on sequences to guardian_app;
revoke all on audit_log, audit_keys from guardian_app;
grant select, insert on audit_log, audit_keys to guardian_app;
revoke all on "${flyway:table}" from guardian_app;
