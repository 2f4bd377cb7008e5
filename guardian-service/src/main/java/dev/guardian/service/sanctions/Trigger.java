package dev.guardian.service.sanctions;

/** What started a load: recorded with every version change and every failed reload. */
public enum Trigger {
    STARTUP,
    SCHEDULE,
    FILE_CHANGE,
    ADMIN
}
