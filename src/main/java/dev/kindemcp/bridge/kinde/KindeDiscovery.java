package dev.kindemcp.bridge.kinde;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Kinde's discovery document, fetched on first use and then kept: the issuer must equal the configured domain,
 * and the JWKS must live on the same origin. After a failure the next fetch waits a few seconds, so an outage
 * does not turn every request into a call to Kinde. Thread-safe; one fetch at a time.
 *
 * <p>Related specifications:
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation">OpenID Connect Discovery 1.0 §4.3 Provider Configuration Validation</a>
 */
final class KindeDiscovery {

    static final String PATH = "/.well-known/openid-configuration";

    /** The shortest pause between two fetches after a failed one. */
    static final Duration RETRY_INTERVAL = KindeUpstreamException.RETRY_AFTER;

    private final String issuer;
    private final ResourceRetriever retriever;
    private final Clock clock;
    private final Object lock = new Object();
    private volatile OIDCProviderMetadata metadata;
    private Instant failedAt;
    private String lastFailure = "";
    private volatile String announcedIssuer;

    KindeDiscovery(String issuer, ResourceRetriever retriever, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer must not be null");
        this.retriever = Objects.requireNonNull(retriever, "retriever must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    /** Whether the discovery document was fetched and validated (never fetches). */
    boolean loaded() {
        return metadata != null;
    }

    /** The validated discovery document; fetches it when it is not cached yet. */
    OIDCProviderMetadata metadata() {
        OIDCProviderMetadata cached = metadata;
        if (cached != null) {
            return cached;
        }
        synchronized (lock) {
            if (metadata != null) {
                return metadata;
            }
            Instant now = clock.instant();
            if (failedAt != null && now.isBefore(failedAt.plus(RETRY_INTERVAL))) {
                throw new KindeUpstreamException(KindeUpstreamException.Reason.UNREACHABLE,
                        "Kinde discovery failed less than " + RETRY_INTERVAL.toSeconds() + " s ago: " + lastFailure);
            }
            try {
                metadata = fetch();
                failedAt = null;
                return metadata;
            } catch (KindeUpstreamException e) {
                failedAt = now;
                lastFailure = e.describe();
                throw e;
            }
        }
    }

    private OIDCProviderMetadata fetch() {
        URL url = url(issuer + PATH);
        Resource resource;
        try {
            resource = retriever.retrieveResource(url);
        } catch (IOException e) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.UNREACHABLE,
                    "Kinde discovery document " + url + " could not be fetched", e);
        }
        OIDCProviderMetadata parsed;
        try {
            parsed = OIDCProviderMetadata.parse(resource.getContent());
        } catch (ParseException | RuntimeException e) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.MALFORMED_RESPONSE,
                    "Kinde discovery document " + url + " is not a valid OpenID provider configuration");
        }
        announcedIssuer = parsed.getIssuer().getValue();
        // OpenID Connect Discovery 1.0 §4.3: the issuer MUST be identical to the one used for discovery
        if (!issuer.equals(announcedIssuer)) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.MISCONFIGURED,
                    "Kinde discovery document " + url + " names the issuer '" + announcedIssuer + "'; check kinde.domain");
        }
        URI jwks = parsed.getJWKSetURI();
        if (jwks == null || !sameOrigin(jwks, URI.create(issuer))) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.MISCONFIGURED,
                    "Kinde discovery document " + url + " has no jwks_uri on the Kinde domain");
        }
        return parsed;
    }

    /**
     * Reads the discovery document once for the startup check, without the retry pause a failure would start:
     * the issuer Kinde announces (valid or not), or the failure when Kinde cannot be reached now.
     */
    Optional<String> probe() {
        if (metadata != null) {
            return Optional.of(metadata.getIssuer().getValue());
        }
        synchronized (lock) {
            try {
                metadata = fetch();
                failedAt = null;
            } catch (KindeUpstreamException e) {
                if (announcedIssuer == null) {
                    throw e;
                }
            }
            return announcedIssuer();
        }
    }

    /** The issuer Kinde's discovery document named the last time it was read, matching or not. */
    Optional<String> announcedIssuer() {
        return Optional.ofNullable(announcedIssuer);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getHost() != null
                && a.getScheme().toLowerCase(Locale.ROOT).equals(b.getScheme().toLowerCase(Locale.ROOT))
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    static URL url(String value) {
        try {
            return URI.create(value).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.MISCONFIGURED,
                    "not a usable Kinde URL: " + value, e);
        }
    }
}
