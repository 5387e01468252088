package dev.kindemcp.bridge.registration;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits open registrations per source address with a token bucket (burst = the per-minute rate), so that
 * nobody can mint clients in bulk. Each bridge instance counts for itself.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3">RFC 7591 §3 (open registration, rate limiting)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6585#section-4">RFC 6585 §4 429 Too Many Requests</a>
 */
@ApplicationScoped
public class RegistrationRateLimiter {

    static final int MAX_TRACKED_SOURCES = 100_000;

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RegistrationRateLimiter(BridgeConfig config, Clock clock) {
        this(config.registration().ratePerMinute(), clock);
    }

    RegistrationRateLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    RegistrationRateLimiter() { // CDI proxy
        this.perMinute = 0;
        this.clock = null;
    }

    /** Takes one registration from {@code source}'s allowance or throws 429 with Retry-After. */
    public void acquire(String source) {
        long now = clock.millis();
        if (buckets.size() > MAX_TRACKED_SOURCES) {
            evictFull(now);
        }
        Bucket bucket = buckets.computeIfAbsent(source, s -> new Bucket(perMinute, now));
        long waitMillis = bucket.take(perMinute, now);
        if (waitMillis > 0) {
            throw new OAuthException(OAuth2Error.TEMPORARILY_UNAVAILABLE.setHTTPStatusCode(429),
                    "too many registrations from this address, retry later", "rate limited source " + source)
                    .retryAfter((int) Math.max(1, (waitMillis + 999) / 1000));
        }
    }

    private void evictFull(long now) {
        for (Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator(); it.hasNext();) {
            if (it.next().getValue().isFull(perMinute, now)) {
                it.remove();
            }
        }
    }

    /** Tokens refill continuously at perMinute per minute, up to perMinute. */
    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.updated = now;
        }

        synchronized long take(int perMinute, long now) {
            refill(perMinute, now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) * 60_000d / perMinute);
        }

        synchronized boolean isFull(int perMinute, long now) {
            refill(perMinute, now);
            return tokens >= perMinute;
        }

        private void refill(int perMinute, long now) {
            tokens = Math.min(perMinute, tokens + (now - updated) * perMinute / 60_000d);
            updated = now;
        }
    }
}
