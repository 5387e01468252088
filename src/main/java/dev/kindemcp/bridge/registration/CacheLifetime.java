package dev.kindemcp.bridge.registration;

import dev.kindemcp.bridge.registration.CimdFetcher.FetchedDocument;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.apache.hc.client5.http.utils.DateUtils;

/**
 * How long a valid Client ID Metadata Document stays fresh, from its HTTP caching headers: {@code no-store} or
 * {@code no-cache} means not at all, then {@code max-age}, then {@code Expires} against {@code Date}, less any
 * {@code Age}; with none of them the default lifetime. The result is bounded by the configured maximum. A
 * document marked {@code must-revalidate} may not stand in for a failed refetch once it is stale.
 *
 * <p>Related specifications:
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-4.4">CIMD draft-00 §4.4 Metadata Caching</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9111#section-4.2.1">RFC 9111 §4.2.1 Calculating Freshness Lifetime</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2">RFC 9111 §5.2.2 Response Directives</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9111#section-4.2.4">RFC 9111 §4.2.4 Serving Stale Responses</a>
 */
final class CacheLifetime {

    private static final long DELTA_SECONDS_CAP = 1L << 31;

    private CacheLifetime() {
    }

    /** The freshness lifetime of {@code document} at {@code now}; zero means "do not cache". */
    static Duration of(FetchedDocument document, Instant now, CimdSettings settings) {
        Duration lifetime = lifetime(document, now, settings.defaultTtl());
        Duration age = document.header("age").flatMap(CacheLifetime::seconds).orElse(Duration.ZERO);
        Duration remaining = lifetime.minus(age);
        if (remaining.isNegative()) {
            return Duration.ZERO;
        }
        // CIMD draft-00 §4.4: the server MAY bound the cache lifetime
        return remaining.compareTo(settings.maxTtl()) > 0 ? settings.maxTtl() : remaining;
    }

    /** {@code false} if the document host forbids using the document once stale. */
    static boolean mayServeStale(FetchedDocument document) {
        // RFC 9111 §5.2.2.2: with must-revalidate, a stale response MUST NOT be used without revalidation
        return document.header("cache-control").stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(directive -> directive.split("=", 2)[0].trim().toLowerCase(Locale.ROOT))
                .noneMatch("must-revalidate"::equals);
    }

    private static Duration lifetime(FetchedDocument document, Instant now, Duration defaultTtl) {
        Optional<String> cacheControl = document.header("cache-control");
        if (cacheControl.isPresent()) {
            Optional<String> maxAge = Optional.empty();
            for (String directive : cacheControl.get().split(",")) {
                String[] nameValue = directive.trim().split("=", 2);
                String name = nameValue[0].trim().toLowerCase(Locale.ROOT);
                if ("no-store".equals(name) || "no-cache".equals(name)) {
                    return Duration.ZERO;
                }
                if ("max-age".equals(name) && maxAge.isEmpty()) {
                    maxAge = Optional.of(nameValue.length > 1 ? unquote(nameValue[1].trim()) : "");
                }
            }
            if (maxAge.isPresent()) {
                // RFC 9111 §4.2.1: an invalid max-age makes the response stale
                return seconds(maxAge.get()).orElse(Duration.ZERO);
            }
        }
        Optional<String> expires = document.header("expires");
        if (expires.isPresent()) {
            Instant expiresAt = DateUtils.parseStandardDate(expires.get());
            if (expiresAt == null) {
                // RFC 9111 §5.3: an invalid Expires value means "already expired"
                return Duration.ZERO;
            }
            Instant date = document.header("date").map(DateUtils::parseStandardDate).orElse(null);
            Duration lifetime = Duration.between(date != null ? date : now, expiresAt);
            return lifetime.isNegative() ? Duration.ZERO : lifetime;
        }
        return defaultTtl;
    }

    private static Optional<Duration> seconds(String value) {
        String digits = value.trim();
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        // RFC 9111 §1.2.2: a delta-seconds value too large to hold counts as 2^31 seconds
        return Optional.of(Duration.ofSeconds(digits.length() > 10 ? DELTA_SECONDS_CAP
                : Math.min(Long.parseLong(digits), DELTA_SECONDS_CAP)));
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
