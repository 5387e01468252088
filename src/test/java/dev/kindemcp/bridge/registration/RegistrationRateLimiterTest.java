package dev.kindemcp.bridge.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-source token bucket of open registration (REG-19) with an injected clock. */
class RegistrationRateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
    private final RegistrationRateLimiter limiter = new RegistrationRateLimiter(20, clock);

    @Test
    void acquireWhenBurstExhaustedThen429WithRetryAfterAndOtherSourcesUnaffected() {
        for (int i = 0; i < 20; i++) {
            limiter.acquire("198.51.100.1");
        }
        OAuthException e = assertThrows(OAuthException.class, () -> limiter.acquire("198.51.100.1"));
        assertEquals(429, e.error().getHTTPStatusCode());
        assertEquals(3, e.retryAfterSeconds().orElseThrow(), "one token refills in 3 s at 20/min");
        limiter.acquire("198.51.100.2");
    }

    @Test
    void acquireWhenTimePassesThenAllowanceRefills() {
        for (int i = 0; i < 20; i++) {
            limiter.acquire("a");
        }
        clock.advance(Duration.ofSeconds(3));
        limiter.acquire("a");
        assertThrows(OAuthException.class, () -> limiter.acquire("a"));
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 20; i++) {
            limiter.acquire("a");
        }
        assertThrows(OAuthException.class, () -> limiter.acquire("a"));
    }
}
