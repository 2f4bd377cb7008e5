/**
 * Human escalation: approvers review what an escalated request would really do, approve or reject it
 * with a comment, and a policy-defined quorum of distinct approvers lets it through, but only after a
 * fresh simulation and re-check of every rule that can have changed. Pending requests expire at their
 * deadline, whether or not anyone looks and even if Guardian was down when it passed.
 */
package dev.guardian.service.approvals;
