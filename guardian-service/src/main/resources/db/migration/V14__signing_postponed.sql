-- An allowed or approved request whose signing met a chain outage (nothing signed yet) stays ALLOWED or
-- APPROVED with its reservation held, and is tried again every guardian.worker.chain-retry-interval until
-- it is signed or its decision is older than guardian.worker.allowed-expiry. These columns say since when
-- it waits (the audit record signing-postponed is written once, when this is first set), when it was
-- last tried, and the chain's last error. They are notes about a request that is not moving; its status,
-- and the updated_at that dates an approval, are left alone.
alter table requests add column signing_postponed_at timestamptz;
alter table requests add column signing_retried_at timestamptz;
alter table requests add column signing_postponed_error text;
alter table requests add constraint requests_signing_postponed_check
    check ((signing_postponed_at is null) = (signing_retried_at is null)
       and (signing_postponed_at is null) = (signing_postponed_error is null));

-- The resume pass reads requests ready to sign by when they were last tried (or, never tried, last changed).
create index requests_ready_to_sign on requests ((coalesce(signing_retried_at, updated_at)))
    where status in ('ALLOWED', 'APPROVED');
