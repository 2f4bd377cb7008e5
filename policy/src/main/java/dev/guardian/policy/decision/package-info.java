/**
 * Decisions as values: {@link dev.guardian.policy.decision.Decision} is allow, escalate or deny, each
 * with the reasons that produced it. A reason carries a stable {@link dev.guardian.policy.decision.RuleId}
 * and the numbers an agent needs to act on it (limit, attempted, remaining, when it resets). Refusals
 * are never exceptions, booleans or nulls.
 */
package dev.guardian.policy.decision;
