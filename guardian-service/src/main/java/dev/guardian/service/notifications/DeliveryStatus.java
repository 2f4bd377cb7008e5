package dev.guardian.service.notifications;

/**
 * Where a webhook delivery stands. {@link #PENDING} is due (now or after a backoff), {@link #DELIVERED}
 * was answered 2xx, {@link #DEAD} used all its attempts and stays so until an administrator re-sends it.
 */
public enum DeliveryStatus {
    PENDING,
    DELIVERED,
    DEAD
}
