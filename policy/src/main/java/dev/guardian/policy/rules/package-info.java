/**
 * The treasury's rules for one agent and the engine that applies them. Each rule is a small function
 * from an {@link dev.guardian.policy.rules.Evaluation} to the reasons it holds or stops the request
 * (none when it passes); {@link dev.guardian.policy.rules.PolicyEngine#STANDARD_RULES} is the one
 * visible list of them all. Pure and deterministic: time, spending and screening come in as values.
 */
package dev.guardian.policy.rules;
