package dev.guardian.policy.effects;

/** One observable consequence of a simulated transaction. */
public sealed interface Effect permits Transfer, Approval, UnknownEvent {}
