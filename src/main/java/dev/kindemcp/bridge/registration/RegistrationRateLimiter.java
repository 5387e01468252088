package dev.kindemcp.bridge.registration;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.TokenBucket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Limits open registrations per source address (burst = the per-minute rate), so that nobody can mint
 * clients in bulk. Each bridge instance counts for itself.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3">RFC 7591 §3 (open registration, rate limiting)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6585#section-4">RFC 6585 §4 429 Too Many Requests</a>
 */
@ApplicationScoped
public class RegistrationRateLimiter {

    private final TokenBucket buckets;

    @Inject
    public RegistrationRateLimiter(BridgeConfig config, Clock clock) {
        this(config.registration().ratePerMinute(), clock);
    }

    RegistrationRateLimiter(int perMinute, Clock clock) {
        this.buckets = new TokenBucket(perMinute, clock);
    }

    RegistrationRateLimiter() { // CDI proxy
        this.buckets = null;
    }

    /** Takes one registration from {@code source}'s allowance or throws 429 with Retry-After. */
    public void acquire(String source) {
        long waitMillis = buckets.take(source);
        if (waitMillis > 0) {
            throw new OAuthException(OAuth2Error.TEMPORARILY_UNAVAILABLE.setHTTPStatusCode(429),
                    "too many registrations from this address, retry later", "rate limited source " + source)
                    .retryAfter(TokenBucket.retryAfterSeconds(waitMillis));
        }
    }
}
