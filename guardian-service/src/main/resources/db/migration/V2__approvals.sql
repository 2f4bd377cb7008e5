-- Human escalation: approvals with a quorum and a deadline, and notifications sent through an outbox.

alter table requests drop constraint requests_status_check;
alter table requests add constraint requests_status_check check (status in
    ('DENIED', 'PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'EXPIRED', 'ALLOWED', 'SIGNED', 'SUBMITTED', 'CONFIRMED', 'FAILED'));

-- Set when a request is escalated: how many distinct approvals it needs, and until when.
alter table requests add column approvals_required integer check (approvals_required >= 1);
alter table requests add column approval_deadline timestamptz;
alter table requests add constraint escalation_has_quorum_and_deadline
    check (verdict <> 'ESCALATE' or (approvals_required is not null and approval_deadline is not null));

-- The expiry sweep finds pending requests past their deadline without scanning the table.
create index requests_pending_deadline on requests (approval_deadline) where status = 'PENDING_APPROVAL';

-- One row per approver and request: the primary key is what stops an approver from counting twice.
create table approvals (
    request_id uuid        not null references requests (id),
    approver   text        not null,
    decision   text        not null check (decision in ('APPROVE', 'REJECT')),
    comment    text        not null,
    decided_at timestamptz not null,
    primary key (request_id, approver)
);

-- Outbound webhooks, written in the same transaction as the state change they announce (an outbox),
-- delivered by a background dispatcher that retries with backoff. Delivery never blocks a request.
create table webhook_deliveries (
    id              uuid primary key,
    endpoint        text        not null,
    request_id      uuid        not null references requests (id),
    event           text        not null,
    payload         text        not null,
    status          text        not null check (status in ('PENDING', 'DELIVERED', 'GAVE_UP')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    last_status     integer,
    last_error      text,
    created_at      timestamptz not null,
    delivered_at    timestamptz
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'PENDING';
