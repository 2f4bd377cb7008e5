-- Two-phase budget reservations, like TigerBeetle's pending transfers. A reservation is created pending
-- and settled exactly once, by a row of its own in reservation_outcomes: posted (at most the pending
-- amount), voided or expired. Neither table is ever updated or deleted from; a different amount, moment
-- or team is a new reservation that names the one it replaces. Budgets count pending and posted ones.
--
-- Each reservation is one line: what one request holds of one asset for one counterparty, so that the
-- per-counterparty caps and the budgets read the same rows (before, a second table split each
-- reservation by counterparty).

alter table reservations rename to reservations_v6;
alter table counterparty_reservations rename to counterparty_reservations_v6;
alter index reservations_counting rename to reservations_v6_counting;
alter index reservations_team_counting rename to reservations_v6_team_counting;
alter sequence reservations_id_seq rename to reservations_v6_id_seq;

create table reservations (
    id           bigserial primary key,
    request_id   uuid           not null references requests (id),
    agent_id     text           not null references agents (id),
    team_id      text references teams (id),
    asset        text           not null,
    -- Null only for lines migrated from reservations that had no split by counterparty.
    counterparty bytea check (length(counterparty) = 20),
    units        numeric(78, 0) not null check (units >= 0),
    reserved_at  timestamptz    not null,
    -- The reservation this one replaces (voided in the same transaction); each is replaced at most once.
    replaces     bigint unique references reservations (id),
    -- Lets an outcome carry the pending amount it is checked against (see below).
    unique (id, units)
);

create table reservation_outcomes (
    reservation_id bigint primary key,
    pending_units  numeric(78, 0) not null,
    outcome        text           not null check (outcome in ('POSTED', 'VOIDED', 'EXPIRED')),
    posted_units   numeric(78, 0),
    settled_at     timestamptz    not null,
    -- The pending amount is the reservation's own, so "posted at most what was pending" is checked here.
    foreign key (reservation_id, pending_units) references reservations (id, units),
    check ((outcome = 'POSTED') = (posted_units is not null)),
    check (posted_units is null or (posted_units >= 0 and posted_units <= pending_units))
);

-- Every old reservation becomes one line per counterparty it was split into, plus a line without a
-- counterparty for any part its split did not cover (older rows had no split at all).
insert into reservations (request_id, agent_id, team_id, asset, counterparty, units, reserved_at)
select r.request_id, r.agent_id, r.team_id, r.asset, c.counterparty, c.units, r.reserved_at
from reservations_v6 r
join counterparty_reservations_v6 c on c.request_id = r.request_id and c.asset = r.asset
order by r.id, c.counterparty;

insert into reservations (request_id, agent_id, team_id, asset, counterparty, units, reserved_at)
select r.request_id, r.agent_id, r.team_id, r.asset, null, r.units - coalesce(split.units, 0), r.reserved_at
from reservations_v6 r
left join (select request_id, asset, sum(units) as units from counterparty_reservations_v6 group by request_id, asset) split
    on split.request_id = r.request_id and split.asset = r.asset
where split.units is null or r.units > split.units
order by r.id;

-- A committed reservation was posted at its amount, a released one voided; held ones stay pending.
insert into reservation_outcomes (reservation_id, pending_units, outcome, posted_units, settled_at)
select n.id, n.units,
       case o.status when 'COMMITTED' then 'POSTED' else 'VOIDED' end,
       case o.status when 'COMMITTED' then n.units end,
       coalesce(o.settled_at, o.reserved_at)
from reservations n
join reservations_v6 o on o.request_id = n.request_id and o.asset = n.asset
where o.status <> 'HELD';

drop table counterparty_reservations_v6;
drop table reservations_v6;

create index reservations_of_request on reservations (request_id);
create index reservations_agent_counting on reservations (agent_id, reserved_at);
create index reservations_team_counting on reservations (team_id, reserved_at) where team_id is not null;

-- Posted, voided or expired once, and never edited: for everyone, and the application's role has no
-- right to try.
create function reservations_are_never_edited() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only: % is not allowed (a reservation is posted or voided, never edited)',
        tg_table_name, tg_op
        using errcode = 'insufficient_privilege';
end $$;
create trigger reservations_no_update_or_delete before update or delete on reservations
    for each statement execute function reservations_are_never_edited();
create trigger reservations_no_truncate before truncate on reservations
    for each statement execute function reservations_are_never_edited();
create trigger reservation_outcomes_no_update_or_delete before update or delete on reservation_outcomes
    for each statement execute function reservations_are_never_edited();
create trigger reservation_outcomes_no_truncate before truncate on reservation_outcomes
    for each statement execute function reservations_are_never_edited();

grant select, insert on reservations, reservation_outcomes to guardian_app;
revoke update, delete, truncate on reservations, reservation_outcomes from guardian_app;
grant usage, select on sequence reservations_id_seq to guardian_app;
