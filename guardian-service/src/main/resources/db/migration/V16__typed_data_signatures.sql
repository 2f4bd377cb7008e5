-- Typed-data signatures (issue 13): an agent asks Guardian to sign EIP-712 typed data (an EIP-3009
-- authorization, for x402 too, or a permit) instead of a transaction. The request keeps the typed data it
-- signs (canonical JSON), the signature once made, and until when someone else can use it on chain. While
-- the signature is outstanding the request is AUTHORIZED, holding its reservation; it is CONFIRMED once used
-- on chain (posted), EXPIRED once it can no longer be used (voided), FAILED once cancelled (voided).
-- to_address, value_wei and data hold the call the signature is equivalent to (the transfer or approval it
-- authorises, as the wallet's own), which is what the contract rules judge; it is never sent.
-- TREASURY_CANCEL_AUTHORIZATION is Guardian's own cancelAuthorization of an outstanding EIP-3009
-- authorization after a freeze, the kill switch or a sanctions hit; cancels names the request it cancels.
alter table requests drop constraint requests_kind_check;
alter table requests add constraint requests_kind_check
    check (kind in ('PAYMENT', 'CONTRACT_CALL', 'TREASURY_REVOKE', 'TREASURY_SWEEP', 'TYPED_DATA', 'X402_PAYMENT',
                    'TREASURY_CANCEL_AUTHORIZATION'));
alter table requests drop constraint requests_status_check;
alter table requests add constraint requests_status_check check (status in
    ('DENIED', 'PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'EXPIRED', 'ALLOWED', 'SIGNED', 'SUBMITTED', 'CONFIRMED',
     'FAILED', 'DIVERGED', 'AUTHORIZED'));
alter table requests add column typed_data jsonb;
alter table requests add column signature bytea check (length(signature) = 65);
alter table requests add column usable_until timestamptz;
alter table requests add column cancels uuid references requests (id);
-- The transaction that used (or cancelled) a signature: not tx_hash, which is unique to what Guardian sent,
-- since one settlement may use several authorizations, and a cancellation is a request of its own.
alter table requests add column settled_in bytea check (length(settled_in) = 32);
alter table requests add constraint requests_typed_data_kinds
    check ((typed_data is not null) = (kind in ('TYPED_DATA', 'X402_PAYMENT')));
alter table requests add constraint requests_signature_only_for_typed_data
    check (signature is null or typed_data is not null);
alter table requests add constraint requests_authorized_is_signed
    check (status <> 'AUTHORIZED' or (signature is not null and usable_until is not null));
alter table requests add constraint requests_cancels_only_cancellations
    check ((cancels is not null) = (kind = 'TREASURY_CANCEL_AUTHORIZATION'));

-- The watcher reads outstanding signatures, soonest to lapse first.
create index requests_authorized on requests (usable_until) where status = 'AUTHORIZED';
-- One cancellation in flight per authorization.
create unique index requests_one_cancellation on requests (cancels)
    where cancels is not null and status not in ('FAILED', 'DENIED');
