package dev.kindemcp.bridge.registration;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.SingleFlight;
import dev.kindemcp.bridge.registration.CimdFetcher.FetchedDocument;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.io.DetachedSocketFactory;

/**
 * Resolves a URL-form client_id to its Client ID Metadata Document: checks the URL, fetches the document
 * through the SSRF-guarded {@link CimdFetcher}, validates it, and caches valid documents per their HTTP cache
 * headers. When a refetch fails because the host is unavailable, a cached copy within the maximum staleness is
 * served instead, flagged stale. Errors and invalid documents are never cached. Concurrent resolves of one
 * client_id share one fetch.
 *
 * <p>This is the only place where the bridge fetches a URL a client supplied.
 *
 * <p>Related specifications:
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-4">CIMD draft-00 §4 Client Information Discovery</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-4.4">CIMD draft-00 §4.4 Metadata Caching</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-01#section-6.5">CIMD draft-01 §6.5 Server Side Request Forgery (SSRF) Attacks</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1">RFC 6749 §4.1.2.1 Error Response (invalid client_id)</a>
 */
@ApplicationScoped
public class CimdResolver implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CimdResolver.class.getName());

    private final CimdSettings settings;
    private final Clock clock;
    private final CimdFetcher fetcher;
    private final CimdCache cache;
    private final SingleFlight<CimdClient> inFlight;

    /** Production wiring: default settings, system DNS, the special-use address policy, the JDK's CAs. */
    /** Counts the documents fetched (issue 15.2); replaced by CDI, none when built by hand. */
    @Inject
    dev.kindemcp.bridge.telemetry.BridgeMetrics metrics = dev.kindemcp.bridge.telemetry.BridgeMetrics.NONE;

    @Inject
    public CimdResolver(Clock clock) {
        this(CimdSettings.defaults(), HostResolver.system(), AddressPolicy.publicOnly(), CimdFetcher.systemTrust(),
                clock);
    }

    /**
     * @param settings   timeouts, size cap and cache bounds
     * @param hosts      name lookup for client_id hosts
     * @param policy     which resolved addresses may be connected to
     * @param sslContext trust for the document hosts' certificates
     * @param clock      time for cache freshness and staleness
     */
    public CimdResolver(CimdSettings settings, HostResolver hosts, AddressPolicy policy, SSLContext sslContext,
                        Clock clock) {
        this(settings, hosts, policy, sslContext, clock, CimdFetcher.plainSockets());
    }

    /** As above, with the factory of the plain sockets that connections start from. */
    CimdResolver(CimdSettings settings, HostResolver hosts, AddressPolicy policy, SSLContext sslContext,
                 Clock clock, DetachedSocketFactory sockets) {
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.fetcher = new CimdFetcher(settings, hosts, policy, sslContext, sockets);
        this.cache = new CimdCache(settings.maxEntries());
        this.inFlight = new SingleFlight<>();
    }

    CimdResolver() { // CDI proxy
        this.settings = null;
        this.clock = null;
        this.fetcher = null;
        this.cache = null;
        this.inFlight = null;
    }

    /**
     * {@code true} if {@code clientId} is URL-shaped ({@code https://} or {@code http://}, any case), so that it
     * must be resolved here rather than looked up among registered clients; {@link #resolve} then decides
     * whether the URL is acceptable.
     */
    public static boolean isUrlClientId(String clientId) {
        if (clientId == null) {
            return false;
        }
        String start = clientId.substring(0, Math.min(clientId.length(), 8)).toLowerCase(Locale.ROOT);
        return start.startsWith("https://") || start.startsWith("http://");
    }

    /**
     * The client described by the metadata document at {@code clientId}: from the cache while fresh, otherwise
     * fetched and validated; a stale copy stands in if the host is unavailable.
     *
     * @throws OAuthException {@code invalid_client} with a wire-safe description (never the document body) and
     *                        an internal detail for the log
     */
    public CimdClient resolve(String clientId) {
        URI url;
        try {
            url = ClientIdUrlValidator.validate(clientId);
        } catch (CimdException e) {
            throw invalidClient(e);
        }
        Instant now = clock.instant();
        Optional<CimdCache.Entry> cached = cache.find(clientId, now);
        if (cached.isPresent() && cached.get().freshAt(now)) {
            return cached.get().client();
        }
        return refreshOnce(clientId, url);
    }

    @PreDestroy
    @Override
    public void close() {
        fetcher.close();
    }

    /** Entries in the cache now, fresh or stale. */
    int cachedDocuments() {
        return cache.size();
    }

    /** One fetch per client_id at a time: latecomers wait for the running fetch and share its outcome. */
    private CimdClient refreshOnce(String clientId, URI url) {
        return inFlight.run(clientId, () -> refresh(clientId, url));
    }

    private CimdClient refresh(String clientId, URI url) {
        Instant now = clock.instant();
        Optional<CimdCache.Entry> cached = cache.find(clientId, now);
        if (cached.isPresent() && cached.get().freshAt(now)) {
            return cached.get().client();
        }
        try {
            FetchedDocument document = fetcher.fetch(url);
            OIDCClientMetadata metadata = CimdDocumentValidator.validate(clientId, document);
            now = clock.instant();
            CimdClient client = new CimdClient(clientId, metadata, ClientIdUrlValidator.displayHost(url), now, false);
            Duration lifetime = CacheLifetime.of(document, now, settings);
            if (lifetime.isZero()) {
                cache.remove(clientId);
            } else {
                Instant freshUntil = now.plus(lifetime);
                Instant keepUntil = CacheLifetime.mayServeStale(document)
                        ? freshUntil.plus(settings.maxStaleness()) : freshUntil;
                cache.save(clientId, new CimdCache.Entry(client, freshUntil, keepUntil));
            }
            metrics.registration("cimd", "success");
            return client;
        } catch (CimdException e) {
            // CIMD draft-00 §4.4: error responses and invalid documents MUST NOT be cached
            if (!e.unavailable()) {
                cache.remove(clientId);
                metrics.registration("cimd", "invalid_client");
                throw invalidClient(e);
            }
            Optional<CimdCache.Entry> stale = cache.find(clientId, clock.instant());
            if (stale.isEmpty()) {
                throw invalidClient(e);
            }
            // Deviation: RFC 9111 §4.2.4 serves stale responses only where explicitly permitted; here a document past
            // its freshness stands in while its host is unavailable (timeout, 5xx, error page), for at most
            // maxStaleness and never after must-revalidate, because vendor CIMD hosts have outages
            // (spec-requirements.md §3c quirk 9). Rejections (4xx, redirects, refused addresses, invalid
            // documents) are never masked.
            LOG.warning(() -> "serving a stale client metadata document for " + clientId + " (fresh until "
                    + stale.get().freshUntil() + "): " + e.internalDetail());
            return stale.get().client().asStale();
        }
    }

    private static OAuthException invalidClient(CimdException e) {
        return new OAuthException(OAuth2Error.INVALID_CLIENT, e.description(), e.internalDetail());
    }
}
