package dev.kindemcp.bridge.store;

import java.time.Duration;
import java.time.Instant;

/**
 * Scheduled work that one bridge instance of a cluster does at a time: every instance asks on its own schedule,
 * and the one whose claim moves the task's due time forward does the work until the next period.
 */
public interface TaskStore {

    /**
     * Claims {@code task} when it is due at {@code now}: true for exactly one caller across the instances sharing
     * the database, which makes it due again {@code period} later (less a second for scheduling jitter).
     */
    boolean claim(String task, Instant now, Duration period);
}
