package dev.kindemcp.bridge.kinde;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.KindeSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bridge's only connection to Kinde: resolves Kinde's discovery document on first use and verifies
 * Kinde-signed tokens against Kinde's published keys. Every outbound call has bounded connect and read
 * timeouts and a size cap; nothing is fetched at construction. Failures are either a rejected token
 * ({@link KindeTokenException}) or Kinde being unusable ({@link KindeUpstreamException}).
 *
 * <p>Related specifications:
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig">OpenID Connect Discovery 1.0 §4 Obtaining OpenID Provider Configuration Information</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7519#section-7.2">RFC 7519 §7.2 Validating a JWT</a>
 * @see <a href="https://docs.kinde.com/build/tokens/about-access-tokens/">Kinde: Access tokens</a>
 */
@ApplicationScoped
public class KindeGateway {

    private static final Logger LOG = Logger.getLogger(KindeGateway.class.getName());

    /** Discovery documents and JWK sets are a few KiB; larger answers are refused. */
    static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    private final Optional<KindeSettings> settings;
    private final Clock clock;
    private final KeyCachePolicy keyPolicy;
    private final ResourceRetriever retriever;
    private final KindeDiscovery discovery;
    private final Object lock = new Object();
    private volatile KindeTokenVerifier verifier;

    @Inject
    public KindeGateway(BridgeConfig config, Clock clock) {
        this(config, clock, KeyCachePolicy.DEFAULT);
    }

    KindeGateway(BridgeConfig config, Clock clock, KeyCachePolicy keyPolicy) {
        Objects.requireNonNull(config, "config must not be null");
        this.settings = config.kinde();
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.keyPolicy = Objects.requireNonNull(keyPolicy, "keyPolicy must not be null");
        this.retriever = settings.map(KindeGateway::retriever).orElse(null);
        this.discovery = settings.map(s -> new KindeDiscovery(s.issuer(), retriever, clock)).orElse(null);
    }

    KindeGateway() { // CDI proxy
        this.settings = Optional.empty();
        this.clock = null;
        this.keyPolicy = null;
        this.retriever = null;
        this.discovery = null;
    }

    /**
     * Verifies a Kinde access token (user or M2M) without an audience check: signature by Kinde's current
     * RS256 keys, {@code iss} equal to the Kinde domain, {@code exp} in the future.
     *
     * @throws KindeTokenException when the token is not valid
     * @throws KindeUpstreamException when Kinde is not configured or cannot be reached
     */
    public KindeIdentity verifyAccessToken(String token) {
        return verify(token, Optional.empty());
    }

    /**
     * Verifies a Kinde access token as {@link #verifyAccessToken(String)} and requires {@code audience} in its
     * {@code aud}.
     *
     * @throws KindeTokenException when the token is not valid or not for {@code audience}
     * @throws KindeUpstreamException when Kinde is not configured or cannot be reached
     */
    public KindeIdentity verifyAccessToken(String token, String audience) {
        return verify(token, Optional.of(Objects.requireNonNull(audience, "audience must not be null")));
    }

    /** Kinde's validated discovery document, fetched on first use. */
    OIDCProviderMetadata providerMetadata() {
        return discovery().metadata();
    }

    private KindeIdentity verify(String token, Optional<String> audience) {
        try {
            SignedJWT jwt = KindeTokenVerifier.preflight(token);
            return KindeIdentity.parse(verifier().verify(jwt, audience));
        } catch (KindeTokenException e) {
            LOG.fine(() -> "Kinde token rejected: " + e.reason());
            throw e;
        } catch (KindeUpstreamException e) {
            LOG.log(Level.WARNING, "Kinde is unavailable: {0}", e.getMessage());
            throw e;
        }
    }

    private KindeTokenVerifier verifier() {
        KindeTokenVerifier current = verifier;
        if (current != null) {
            return current;
        }
        OIDCProviderMetadata metadata = discovery().metadata();
        synchronized (lock) {
            if (verifier == null) {
                KindeSettings kinde = settings.orElseThrow();
                verifier = new KindeTokenVerifier(kinde.issuer(),
                        KindeDiscovery.url(metadata.getJWKSetURI().toString()), retriever, keyPolicy,
                        kinde.connectTimeout().plus(kinde.readTimeout()), clock);
            }
            return verifier;
        }
    }

    private KindeDiscovery discovery() {
        if (discovery == null) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.NOT_CONFIGURED,
                    "Kinde is not configured: set kinde.domain (KINDE_DOMAIN), kinde.client-id and "
                            + "kinde.client-secret, or run the development identity provider");
        }
        return discovery;
    }

    /** One retriever for every call to Kinde: bounded connect and read timeouts, bounded body size. */
    private static ResourceRetriever retriever(KindeSettings kinde) {
        return new DefaultResourceRetriever(millis(kinde.connectTimeout()), millis(kinde.readTimeout()),
                MAX_DOCUMENT_BYTES);
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
