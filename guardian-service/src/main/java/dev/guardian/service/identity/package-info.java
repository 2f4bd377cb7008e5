/**
 * Who is calling: an agent (by its API key) or a person (approver, auditor, treasury, admin) configured
 * with a hashed API token and roles. Every endpoint declares the roles it admits; a caller without one
 * of them is refused, and an endpoint that declares none admits nobody.
 */
package dev.guardian.service.identity;
