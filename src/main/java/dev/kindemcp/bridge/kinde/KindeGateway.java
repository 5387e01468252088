package dev.kindemcp.bridge.kinde;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /** The scopes the bridge asks Kinde for; Kinde needs {@code offline} (not offline_access) for refresh tokens. */
    public static final String LOGIN_SCOPE = "openid profile email offline";

    /**
     * The URL that sends the browser to Kinde's login for the bridge's static application, with PKCE,
     * {@code state}, {@code nonce}, the configured audience and the allowlisted pass-through parameters.
     */
    public URI loginUrl(String callback, String state, String nonce, String codeChallenge,
            Map<String, String> passthrough) {
        KindeSettings kinde = settings.orElseThrow(() -> notConfigured());
        URI endpoint = providerMetadata().getAuthorizationEndpointURI();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", kinde.clientId());
        params.put("redirect_uri", callback);
        params.put("scope", LOGIN_SCOPE);
        params.put("state", state);
        params.put("nonce", nonce);
        // RFC 7636 §4.3: the bridge is itself a PKCE client of Kinde
        params.put("code_challenge", codeChallenge);
        params.put("code_challenge_method", "S256");
        kinde.audience().ifPresent(a -> params.put("audience", a));
        params.putAll(passthrough);
        StringBuilder url = new StringBuilder(endpoint.toString());
        char separator = endpoint.getRawQuery() == null ? '?' : '&';
        for (Map.Entry<String, String> e : params.entrySet()) {
            url.append(separator).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
            separator = '&';
        }
        return URI.create(url.toString());
    }

    /**
     * Exchanges Kinde's authorization code at Kinde's token endpoint (client_secret_post, PKCE verifier) and
     * validates the answer completely: the ID token (signature, iss, aud, exp, nonce) and the access token
     * (signature, iss, exp, and the configured audience).
     *
     * @throws KindeUpstreamException {@code UNREACHABLE} when Kinde cannot be reached in time or answers 5xx;
     *                                {@code REJECTED} for an OAuth error, a malformed answer or invalid tokens
     */
    public KindeLogin completeLogin(String code, String callback, String codeVerifier, String nonce) {
        KindeSettings kinde = settings.orElseThrow(() -> notConfigured());
        OIDCProviderMetadata metadata = providerMetadata();
        TokenRequest request = new TokenRequest(metadata.getTokenEndpointURI(),
                new ClientSecretPost(new ClientID(kinde.clientId()), new Secret(kinde.clientSecret())),
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(callback),
                        new CodeVerifier(codeVerifier)));
        HTTPResponse response = send(request.toHTTPRequest(), kinde);
        if (response.getStatusCode() >= 500) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.UNREACHABLE,
                    "Kinde's token endpoint answered " + response.getStatusCode());
        }
        OIDCTokenResponse tokens;
        try {
            TokenResponse parsed = OIDCTokenResponseParser.parse(response);
            if (!parsed.indicatesSuccess()) {
                throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                        "Kinde refused the code exchange: " + OAuthText.code(parsed.toErrorResponse().getErrorObject()));
            }
            tokens = (OIDCTokenResponse) parsed.toSuccessResponse();
        } catch (com.nimbusds.oauth2.sdk.ParseException | ClassCastException e) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                    "Kinde's token response is not a valid OpenID Connect token response", e);
        }
        if (tokens.getOIDCTokens().getIDToken() == null || !(tokens.getOIDCTokens().getIDToken() instanceof SignedJWT)) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                    "Kinde's token response has no signed ID token");
        }
        String accessToken = tokens.getOIDCTokens().getAccessToken().getValue();
        try {
            SignedJWT idToken = KindeTokenVerifier.preflight(tokens.getOIDCTokens().getIDTokenString());
            com.nimbusds.jwt.JWTClaimsSet idClaims = verifier().verifyIdToken(idToken, kinde.clientId(), nonce);
            KindeIdentity identity = kinde.audience().map(a -> verifyAccessToken(accessToken, a))
                    .orElseGet(() -> verifyAccessToken(accessToken));
            if (identity.subject().isPresent() && !identity.subject().get().equals(idClaims.getSubject())) {
                throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                        "Kinde's access and ID tokens name different users");
            }
            Optional<String> refresh = Optional.ofNullable(tokens.getOIDCTokens().getRefreshToken())
                    .map(t -> t.getValue());
            return new KindeLogin(idClaims.getSubject(), Optional.ofNullable((String) idClaims.getClaim("email")),
                    identity, new KindeTokens(accessToken, refresh,
                            Optional.of(tokens.getOIDCTokens().getIDTokenString()), identity.expiresAt()));
        } catch (KindeTokenException e) {
            LOG.warning(() -> "security: Kinde login tokens rejected: " + e.reason());
            throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                    "Kinde's tokens failed validation: " + e.reason(), e);
        }
    }

    private static HTTPResponse send(HTTPRequest request, KindeSettings kinde) {
        request.setConnectTimeout(millis(kinde.connectTimeout()));
        request.setReadTimeout(millis(kinde.readTimeout()));
        try {
            return request.send();
        } catch (IOException e) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.UNREACHABLE,
                    "Kinde could not be reached in time: " + e.getClass().getSimpleName(), e);
        }
    }

    private static KindeUpstreamException notConfigured() {
        return new KindeUpstreamException(KindeUpstreamException.Reason.NOT_CONFIGURED,
                "Kinde is not configured: set kinde.domain (KINDE_DOMAIN), kinde.client-id and "
                        + "kinde.client-secret, or run the development identity provider");
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
