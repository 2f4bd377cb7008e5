-- What was judged is compared with what happened. A mined transaction's executed effects are kept with the
-- request; one that did more than was judged ends DIVERGED, with the differences found.
alter table requests drop constraint requests_status_check;
alter table requests add constraint requests_status_check check (status in
    ('DENIED', 'PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'EXPIRED', 'ALLOWED', 'SIGNED', 'SUBMITTED', 'CONFIRMED',
     'FAILED', 'DIVERGED'));
alter table requests add column executed_effects jsonb;
alter table requests add column divergence jsonb;
alter table requests add constraint requests_divergence_only_when_diverged
    check ((status = 'DIVERGED') = (divergence is not null));
