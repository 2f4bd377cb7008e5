-- One Safe transaction on its way per Safe and Safe nonce. A Safe executes exactly one transaction per nonce, so
-- a second request for a nonce another request still holds could only be relayed to revert, on the relayer's gas
-- (review finding M2). The pipeline refuses such a proposal under the agent's lock (409 conflict/safe-nonce-in-use);
-- this index is the backstop for anything that writes a Safe request outside that path. A request holds its nonce
-- until it is final: DENIED, REJECTED, EXPIRED and FAILED free it; CONFIRMED and DIVERGED used it (a proposal for
-- a used nonce is denied by safe.nonce-not-current, and denied rows are not indexed).
-- V18 is the Safe wallets' migration; V19 is taken on main.
create unique index requests_one_safe_proposal_per_nonce on requests (wallet_id, (safe_tx ->> 'nonce'))
    where safe_tx is not null
      and status not in ('DENIED', 'FAILED', 'REJECTED', 'EXPIRED', 'CONFIRMED', 'DIVERGED');
