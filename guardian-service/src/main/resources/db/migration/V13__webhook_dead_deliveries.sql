-- A webhook delivery that has used all its attempts is DEAD (it was GAVE_UP): kept with its last error and
-- the time it died, listed to administrators, and made PENDING again when one re-sends it. The state is
-- renamed so that what operators see, alert on and re-send has one name everywhere.
alter table webhook_deliveries drop constraint webhook_deliveries_status_check;
update webhook_deliveries set status = 'DEAD' where status = 'GAVE_UP';
alter table webhook_deliveries add constraint webhook_deliveries_status_check
    check (status in ('PENDING', 'DELIVERED', 'DEAD'));

-- When it died. Deliveries given up before this migration did not record it: their next_attempt_at is
-- the last failure plus one backoff, the closest time known.
alter table webhook_deliveries add column died_at timestamptz;
update webhook_deliveries set died_at = next_attempt_at where status = 'DEAD';
alter table webhook_deliveries add constraint webhook_deliveries_dead_have_died_at
    check ((status = 'DEAD') = (died_at is not null));

-- The administrators' list (by status, newest first, a page at a time) and the metric's counts.
create index webhook_deliveries_by_status on webhook_deliveries (status, created_at desc, id desc);
