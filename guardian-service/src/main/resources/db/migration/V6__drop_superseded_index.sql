-- V4's requests_in_flight_checked serves the receipt worker's query (oldest checked first); V1's index on
-- (status, updated_at) for the same rows is no longer read by any query, yet every signed or submitted
-- request still had to update it.
drop index requests_in_flight;
