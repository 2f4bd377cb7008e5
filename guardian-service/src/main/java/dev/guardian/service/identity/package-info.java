/**
 * Who is calling and what they may do. Agents and people authenticate with bearer tokens that Guardian
 * issues ({@code ApiKeys}), rotates and revokes, storing only their SHA-256 and looking each one up on
 * every call; people may instead bring a JWT from the organisation's OIDC issuer. People and their
 * roles live in the database (administrators manage them through the API; configuration may name some),
 * Guardian refuses any change that would leave it without an active administrator, and the first start
 * creates one. Every endpoint declares the roles it admits; a caller without one of them is refused.
 * Uses audit and locks only; the development mode adds its demo approver through
 * {@code AdditionalPeople}.
 */
package dev.guardian.service.identity;
