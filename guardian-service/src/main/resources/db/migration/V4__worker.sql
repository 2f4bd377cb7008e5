-- The receipt worker polls requests in flight oldest-checked first, so transactions that take long to
-- settle (or never do) cannot keep it from the others.
alter table requests add column checked_at timestamptz;
create index requests_in_flight_checked on requests (checked_at nulls first) where status in ('SIGNED', 'SUBMITTED');
