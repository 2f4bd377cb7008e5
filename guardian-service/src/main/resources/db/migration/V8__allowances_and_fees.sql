-- Allowances and gas are money. A reservation line now says what it is:
--   OUTFLOW   value that leaves the wallet, by its first recipient (budgets and counterparty caps);
--   EXPOSURE  an allowance granted, by spender and kind of allowance, held as if that much moved when it was
--             granted (budgets and counterparty caps); it stays pending while the allowance lasts, is posted
--             as it is used and voided as it is lowered or revoked;
--   ONWARD    value that reached a payee further down the call (that payee's caps only);
--   FEE       the most the transaction can cost in gas (fee budgets), posted at what it really cost.
-- Lines made before this migration moved value out of the wallet: they are OUTFLOW.
alter table reservations add column kind text not null default 'OUTFLOW'
    check (kind in ('OUTFLOW', 'EXPOSURE', 'ONWARD', 'FEE'));
alter table reservations alter column kind drop default;
alter table reservations add column allowance_kind text check (allowance_kind in ('ERC20', 'PERMIT2', 'OPERATOR'));
alter table reservations add constraint reservations_exposure_names_its_allowance
    check ((kind = 'EXPOSURE') = (allowance_kind is not null));
alter table reservations add constraint reservations_exposure_names_its_spender
    check (kind <> 'EXPOSURE' or counterparty is not null);

-- Live allowance exposure is read per wallet, token and spender, before decisions and on a schedule.
create index reservations_exposure on reservations (agent_id, asset, counterparty) where kind = 'EXPOSURE';

-- What a request was judged to cost in gas, exactly as it is then signed: the gas limit, the fee caps and
-- the L1 data fee's upper bound. Null for requests decided before fees were judged.
alter table requests add column gas_limit bigint check (gas_limit > 0);
alter table requests add column max_fee_per_gas numeric(78, 0) check (max_fee_per_gas >= 0);
alter table requests add column max_priority_fee_per_gas numeric(78, 0) check (max_priority_fee_per_gas >= 0);
alter table requests add column l1_fee numeric(78, 0) check (l1_fee >= 0);
alter table requests add constraint requests_fee_judged_whole
    check ((gas_limit is null) = (max_fee_per_gas is null) and (gas_limit is null) = (max_priority_fee_per_gas is null)
        and (gas_limit is null) = (l1_fee is null));

-- What its transaction really cost in fees once mined (gas used x effective gas price, plus the L1 data fee),
-- succeeded or reverted.
alter table requests add column fee_paid numeric(78, 0) check (fee_paid >= 0);

-- What a request does to allowances already held, applied once it is mined: uses of an allowance (the
-- exposure becomes money moved) and lowerings or revocations (the exposure is released).
alter table requests add column allowance_changes jsonb not null default '[]';

-- On-chain reverts count towards the policy's limit on them: mined (a block) and failed.
create index requests_reverted on requests (agent_id, created_at) where status = 'FAILED' and block_number is not null;
