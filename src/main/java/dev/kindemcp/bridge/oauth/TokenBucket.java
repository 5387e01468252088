package dev.kindemcp.bridge.oauth;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key token buckets that refill continuously at a rate per minute up to the same number: the one rate
 * limiter of the bridge (open registration, failed client authentication). Each instance counts for itself.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6585#section-4">RFC 6585 §4 429 Too Many Requests</a>
 */
public final class TokenBucket {

    static final int MAX_TRACKED_KEYS = 100_000;

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBucket(int perMinute, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be positive");
        }
        this.perMinute = perMinute;
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    /** Takes one token for {@code key}: 0 when there was one, else the milliseconds until there is one. */
    public long take(String key) {
        long now = clock.millis();
        return bucket(key, now).take(perMinute, now, true);
    }

    /** Like {@link #take} but without taking: 0 when a token is available. */
    public long check(String key) {
        long now = clock.millis();
        Bucket bucket = buckets.get(key);
        return bucket == null ? 0 : bucket.take(perMinute, now, false);
    }

    private Bucket bucket(String key, long now) {
        if (buckets.size() > MAX_TRACKED_KEYS) {
            for (Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator(); it.hasNext();) {
                if (it.next().getValue().isFull(perMinute, now)) {
                    it.remove();
                }
            }
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(perMinute, now));
    }

    /** Seconds for a Retry-After header: at least 1. */
    public static int retryAfterSeconds(long waitMillis) {
        return (int) Math.max(1, (waitMillis + 999) / 1000);
    }

    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.updated = now;
        }

        synchronized long take(int perMinute, long now, boolean consume) {
            tokens = Math.min(perMinute, tokens + (now - updated) * perMinute / 60_000d);
            updated = now;
            if (tokens >= 1) {
                if (consume) {
                    tokens -= 1;
                }
                return 0;
            }
            return (long) Math.ceil((1 - tokens) * 60_000d / perMinute);
        }

        synchronized boolean isFull(int perMinute, long now) {
            return Math.min(perMinute, tokens + (now - updated) * perMinute / 60_000d) >= perMinute;
        }
    }
}
