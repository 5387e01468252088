package dev.kindemcp.bridge.registration;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and cache lifetimes of the Client ID Metadata Document fetch; {@link #defaults()} holds the values the
 * bridge runs with until they are read from configuration.
 *
 * <p>Related specifications:
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-4.4">CIMD draft-00 §4.4 Metadata Caching</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-6.6">CIMD draft-00 §6.6 Maximum Response Size for Client Metadata Documents</a>
 *
 * @param connectTimeout       longest wait for the TCP connection to one address
 * @param readTimeout          longest wait for the TLS handshake, the response head or the next body bytes
 * @param fetchBudget          longest time one fetch may take in total, whatever the server trickles
 * @param maxDocumentBytes     largest accepted document body, counted while reading
 * @param defaultTtl           how long a document without cache headers stays fresh
 * @param maxTtl               upper bound on any freshness lifetime the document host asks for
 * @param maxStaleness         how long past its freshness a document may still stand in when a refetch fails;
 *                             zero turns stale-on-error off
 * @param maxEntries           most documents kept in the cache at once
 * @param maxConcurrentFetches most fetches (connections) open at once across all hosts
 */
public record CimdSettings(
        Duration connectTimeout,
        Duration readTimeout,
        Duration fetchBudget,
        int maxDocumentBytes,
        Duration defaultTtl,
        Duration maxTtl,
        Duration maxStaleness,
        int maxEntries,
        int maxConcurrentFetches) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_FETCH_BUDGET = Duration.ofSeconds(5);
    /** CIMD draft-00 §6.6 recommends 5 kilobytes. */
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 5 * 1024;
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_MAX_STALENESS = Duration.ofHours(24);
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    public static final int DEFAULT_MAX_CONCURRENT_FETCHES = 32;

    /** Keeps a misconfiguration from turning the cap into no cap. */
    static final int MAX_DOCUMENT_BYTES_CEILING = 1024 * 1024;

    public CimdSettings {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        requirePositive(fetchBudget, "fetchBudget");
        requirePositive(defaultTtl, "defaultTtl");
        requirePositive(maxTtl, "maxTtl");
        Objects.requireNonNull(maxStaleness, "maxStaleness must not be null");
        if (maxStaleness.isNegative()) {
            throw new IllegalArgumentException("maxStaleness must not be negative");
        }
        if (defaultTtl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("defaultTtl must not exceed maxTtl");
        }
        if (maxDocumentBytes < 1 || maxDocumentBytes > MAX_DOCUMENT_BYTES_CEILING) {
            throw new IllegalArgumentException("maxDocumentBytes must be between 1 and " + MAX_DOCUMENT_BYTES_CEILING);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        if (maxConcurrentFetches < 1) {
            throw new IllegalArgumentException("maxConcurrentFetches must be positive");
        }
    }

    /**
     * Connect 2 s, read 3 s, 5 s per fetch, 5120 bytes, fresh 5 min (at most 24 h), stale up to 24 h,
     * 10 000 entries, 32 fetches at once.
     */
    public static CimdSettings defaults() {
        return new CimdSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_FETCH_BUDGET,
                DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_TTL, DEFAULT_MAX_TTL, DEFAULT_MAX_STALENESS,
                DEFAULT_MAX_ENTRIES, DEFAULT_MAX_CONCURRENT_FETCHES);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name + " must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
