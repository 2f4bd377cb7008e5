/**
 * Agents and their wallets: who may ask Guardian to move money (authenticated by an API key stored only
 * as its SHA-256), which wallet each controls (the key sealed by the signer module), and which policy
 * judges its requests. Read from configuration at start and kept in the database.
 */
package dev.guardian.service.agents;
