-- Treasury actions (issue 12, item 5): a person of the treasury revokes an allowance an agent's wallet
-- granted, or sweeps the wallet's funds to the configured sweep address. Each is a request of its own kind
-- on the agent's wallet, judged by the treasury check instead of the agent's policy, signed and followed to
-- its receipt like the agent's own. Nothing else of the schema changes: a treasury action reserves nothing.
alter table requests drop constraint requests_kind_check;
alter table requests add constraint requests_kind_check
    check (kind in ('PAYMENT', 'CONTRACT_CALL', 'TREASURY_REVOKE', 'TREASURY_SWEEP'));
