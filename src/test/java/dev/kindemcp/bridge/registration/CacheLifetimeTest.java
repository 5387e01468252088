package dev.kindemcp.bridge.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindemcp.bridge.registration.CimdFetcher.FetchedDocument;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Freshness of valid documents from their HTTP cache headers, bounded by the settings (R-DCR-8, REG-27). */
class CacheLifetimeTest {

    static final Instant NOW = Instant.parse("2026-08-01T10:00:00Z");
    static final CimdSettings SETTINGS = CimdSettings.defaults();

    private static Duration lifetime(String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return CacheLifetime.of(new FetchedDocument(new byte[0], map), NOW, SETTINGS);
    }

    @Test
    void ofWhenNoCacheHeadersThenDefaultLifetime() {
        assertEquals(CimdSettings.DEFAULT_TTL, lifetime());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "max-age=60                    | 60",
        "public, max-age=3600          | 3600",
        "MAX-AGE=120                   | 120",
        "max-age=\"90\"                | 90",
        "max-age=60, max-age=3600      | 60",
        "max-age=0                     | 0",
        "max-age=-5                    | 0",
        "max-age=ten                   | 0",
        "max-age                       | 0",
        "no-store                      | 0",
        "max-age=600, no-store         | 0",
        "no-cache, max-age=600         | 0",
        "NO-CACHE                      | 0",
        "private, max-age=30           | 30",
        "max-age=999999999             | 86400",
        "max-age=99999999999999999999  | 86400"})
    void ofWhenCacheControlGivenThenItDecides(String cacheControl, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), lifetime("cache-control", cacheControl));
    }

    @Test
    void ofWhenCacheControlHasNoLifetimeThenExpiresOrDefault() {
        assertEquals(CimdSettings.DEFAULT_TTL, lifetime("cache-control", "public"));
        assertEquals(Duration.ofMinutes(10), lifetime("cache-control", "public",
                "expires", "Sat, 01 Aug 2026 10:10:00 GMT"));
    }

    @Test
    void ofWhenExpiresGivenThenMeasuredFromTheResponseDate() {
        assertEquals(Duration.ofMinutes(2), lifetime(
                "date", "Sat, 01 Aug 2026 09:00:00 GMT", "expires", "Sat, 01 Aug 2026 09:02:00 GMT"));
        assertEquals(Duration.ofMinutes(30), lifetime("expires", "Sat, 01 Aug 2026 10:30:00 GMT"));
    }

    @ParameterizedTest
    @CsvSource({"0", "yesterday", "'Sat, 01 Aug 2026 09:00:00 GMT'"})
    void ofWhenExpiresInvalidOrPastThenNotCached(String expires) {
        assertEquals(Duration.ZERO, lifetime("expires", expires));
    }

    @Test
    void ofWhenMaxAgeAndExpiresBothGivenThenMaxAgeWins() {
        assertEquals(Duration.ofSeconds(45), lifetime("cache-control", "max-age=45",
                "expires", "Sat, 01 Aug 2026 12:00:00 GMT"));
    }

    @Test
    void ofWhenAgeGivenThenSubtracted() {
        assertEquals(Duration.ofSeconds(40), lifetime("cache-control", "max-age=100", "age", "60"));
        assertEquals(Duration.ZERO, lifetime("cache-control", "max-age=100", "age", "600"));
        assertEquals(Duration.ofSeconds(100), lifetime("cache-control", "max-age=100", "age", "soon"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "max-age=60, must-revalidate | false",
        "MUST-REVALIDATE             | false",
        "max-age=60                  | true",
        "public, proxy-revalidate    | true"})
    void mayServeStaleWhenMustRevalidateThenFalse(String cacheControl, boolean allowed) {
        Map<String, String> headers = Map.of("cache-control", cacheControl);
        assertEquals(allowed, CacheLifetime.mayServeStale(new FetchedDocument(new byte[0], headers)));
    }

    @Test
    void mayServeStaleWhenNoCacheControlThenTrue() {
        assertEquals(true, CacheLifetime.mayServeStale(new FetchedDocument(new byte[0], Map.of())));
    }

    @Test
    void ofWhenLifetimeAboveTheMaximumThenBounded() {
        assertEquals(SETTINGS.maxTtl(), lifetime("expires", "Fri, 01 Aug 2036 10:00:00 GMT"));
    }
}
