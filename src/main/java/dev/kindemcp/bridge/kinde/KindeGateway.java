package dev.kindemcp.bridge.kinde;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.KindeSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.net.URL;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bridge's only connection to Kinde: resolves Kinde's discovery document on first use, logs users in and
 * refreshes their tokens with the bridge's static application, checks machine callers' own M2M credentials, and
 * verifies Kinde-signed tokens against Kinde's published keys. Every outbound call has bounded connect and read
 * timeouts and a size cap; nothing is fetched at construction. Failures are either a rejected token
 * ({@link KindeTokenException}) or Kinde being unusable or refusing ({@link KindeUpstreamException}).
 *
 * <p>Related specifications:
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig">OpenID Connect Discovery 1.0 §4 Obtaining OpenID Provider Configuration Information</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7519#section-7.2">RFC 7519 §7.2 Validating a JWT</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 §6 Refreshing an Access Token</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4 Client Credentials Grant</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8693#section-2.1">RFC 8693 §2.1 Request (subject_token)</a>
 * @see <a href="https://docs.kinde.com/build/tokens/about-access-tokens/">Kinde: Access tokens</a>
 */
@ApplicationScoped
public class KindeGateway {

    private static final Logger LOG = Logger.getLogger(KindeGateway.class.getName());

    /**
     * Requests to Kinde's token and revocation endpoints that one server may have waiting at once: while Kinde
     * hangs, each holds a request thread for up to the connect and read timeouts, and the rest of the bridge
     * (metadata, JWKS, refreshes whose Kinde token is valid, tool calls) must keep its threads.
     */
    static final int MAX_CALLS_IN_FLIGHT = 32;

    private static final java.util.concurrent.Semaphore CALLS_IN_FLIGHT =
            new java.util.concurrent.Semaphore(MAX_CALLS_IN_FLIGHT);

    /** Discovery documents and JWK sets are a few KiB; larger answers are refused. */
    static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    /** Longest machine client id or secret forwarded to Kinde; longer ones are refused without a call. */
    static final int MAX_CREDENTIAL_LENGTH = 512;

    /** The token request parameter with which Kinde selects the API (audience) of an access token. */
    static final String AUDIENCE_PARAMETER = "audience";

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
        this.retriever = settings.map(this::retriever).orElse(null);
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

    /**
     * Kinde's public signing keys, from the bridge's cache (5 min), with at most one refetch per 30 s however
     * often this is called; served to the MicroProfile JWT verifier of the tool APIs.
     *
     * @throws KindeUpstreamException when Kinde is not configured, or no keys were ever fetched and Kinde
     *         cannot be reached
     */
    public com.nimbusds.jose.jwk.JWKSet publicKeys() {
        return verifier().publicKeys(true);
    }

    /**
     * Kinde's public keys for the readiness check: from the cache, fetched only when it is empty or stale (never
     * a forced refetch, which would spend the rate limit that a rotated Kinde key needs). While discovery has
     * never succeeded it is probed as at startup, which leaves the logins' retry pause alone.
     *
     * @return whether keys are at hand
     * @throws KindeUpstreamException when Kinde is not configured or cannot be reached
     */
    public boolean keysAtHand() {
        if (!discovery().loaded()) {
            discovery().probe();
        }
        return discovery().loaded() && !verifier().publicKeys(false).getKeys().isEmpty();
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
        params.putAll(passthrough);
        List<Map.Entry<String, String>> query = new ArrayList<>(params.entrySet());
        // Kinde takes one audience parameter per API; its token then carries each one enabled for the application
        kinde.audiences().forEach(a -> query.add(Map.entry(AUDIENCE_PARAMETER, a)));
        StringBuilder url = new StringBuilder(endpoint.toString());
        char separator = endpoint.getRawQuery() == null ? '?' : '&';
        for (Map.Entry<String, String> e : query) {
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
                    "Kinde's token endpoint " + metadata.getTokenEndpointURI() + " answered " + response.getStatusCode());
        }
        OIDCTokenResponse tokens;
        try {
            TokenResponse parsed = OIDCTokenResponseParser.parse(response);
            if (!parsed.indicatesSuccess()) {
                ErrorObject error = parsed.toErrorResponse().getErrorObject();
                if (OAuth2Error.INVALID_CLIENT.equals(error) || OAuth2Error.UNAUTHORIZED_CLIENT.equals(error)) {
                    throw new KindeUpstreamException(KindeUpstreamException.Reason.MISCONFIGURED, "Kinde refused "
                            + "the bridge's application credentials (" + OAuthText.code(error) + "): set "
                            + "KINDE_CLIENT_ID and KINDE_CLIENT_SECRET to the client id and secret of the Kinde "
                            + "back-end application '" + kinde.clientId() + "'");
                }
                throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                        "Kinde refused the code exchange: " + OAuthText.code(error));
            }
            tokens = (OIDCTokenResponse) parsed.toSuccessResponse();
        } catch (com.nimbusds.oauth2.sdk.ParseException | ClassCastException e) {
            // R-TK-8: the parser's message may quote Kinde's body, tokens included, so it is not kept as the cause
            throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                    "Kinde's token response is not a valid OpenID Connect token response");
        }
        if (tokens.getOIDCTokens().getIDToken() == null || !(tokens.getOIDCTokens().getIDToken() instanceof SignedJWT)) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                    "Kinde's token response has no signed ID token");
        }
        String accessToken = tokens.getOIDCTokens().getAccessToken().getValue();
        try {
            SignedJWT idToken = KindeTokenVerifier.preflight(tokens.getOIDCTokens().getIDTokenString());
            com.nimbusds.jwt.JWTClaimsSet idClaims = verifier().verifyIdToken(idToken, kinde.clientId(), nonce);
            KindeIdentity identity = verifyAccessToken(accessToken);
            List<String> missing = kinde.audiences().stream().filter(a -> !identity.audience().contains(a))
                    .toList();
            if (!missing.isEmpty()) {
                // Kinde leaves an API out of aud (aud: []) when it is not enabled for the application
                String apis = String.join("', '", missing);
                throw new KindeUpstreamException(KindeUpstreamException.Reason.MISCONFIGURED, "Kinde's access "
                        + "token is not for KINDE_AUDIENCE '" + apis + "' (aud: " + identity.audience()
                        + "): in Kinde, enable the API '" + apis + "' for the application '"
                        + kinde.clientId() + "' (Settings, APIs, the API, Applications)");
            }
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

    /**
     * Refreshes a user's Kinde tokens with the bridge's static application (client_secret_post) and verifies the
     * access token Kinde returns (signature, iss, exp, the configured audience) before accepting it. Kinde may
     * hand back the same access token while it is still valid, and may or may not rotate the refresh token; when
     * it sends none, the presented one is kept.
     *
     * @throws KindeUpstreamException {@code GRANT_REVOKED} when Kinde answers {@code invalid_grant} (refresh
     *                                token revoked or expired, user removed); {@code UNREACHABLE} when Kinde
     *                                cannot be reached in time or answers 5xx or 429; {@code REJECTED} for any
     *                                other error, a malformed answer or tokens that fail validation
     */
    public KindeTokens refresh(String kindeRefreshToken) {
        return refreshLogin(kindeRefreshToken).tokens();
    }

    /**
     * {@link #refresh(String)}, with the user the refreshed tokens speak for (the access token's {@code sub}), so
     * that the vault can check it is still the user of the grant.
     */
    KindeLogin refreshLogin(String kindeRefreshToken) {
        Objects.requireNonNull(kindeRefreshToken, "kindeRefreshToken must not be null");
        KindeSettings kinde = settings.orElseThrow(() -> notConfigured());
        TokenRequest request = new TokenRequest(providerMetadata().getTokenEndpointURI(), bridgeClient(kinde),
                new RefreshTokenGrant(new RefreshToken(kindeRefreshToken)));
        Tokens tokens = tokenRequest(request, kinde, (status, error) -> {
            // RFC 6749 §5.2: invalid_grant = the refresh token is invalid, expired or revoked
            if (error != null && OAuth2Error.INVALID_GRANT.getCode().equals(error.getCode())) {
                return new KindeUpstreamException(KindeUpstreamException.Reason.GRANT_REVOKED,
                        "Kinde refused the refresh token: invalid_grant");
            }
            if (error != null && OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode())) {
                return new KindeUpstreamException(KindeUpstreamException.Reason.MISCONFIGURED, "Kinde refused the "
                        + "bridge's application credentials at a refresh (invalid_client): set KINDE_CLIENT_ID and "
                        + "KINDE_CLIENT_SECRET to the keys of the Kinde back-end application '" + kinde.clientId() + "'");
            }
            // Kinde may answer a rotated-out or expired refresh token with another code (invalid_request,
            // unauthorized_client): the vault backs off and ends the grant when the refusal persists
            return new KindeUpstreamException(KindeUpstreamException.Reason.REFRESH_REFUSED,
                    "Kinde refused the refresh: " + OAuthText.code(error) + " (" + status + ")");
        });
        String accessToken = tokens.getAccessToken().getValue();
        // RFC 6749 §6: without a new refresh token in the answer, the one presented stays in use
        String refreshToken = tokens.getRefreshToken() == null ? kindeRefreshToken
                : tokens.getRefreshToken().getValue();
        Optional<String> idToken = tokens instanceof OIDCTokens oidc ? Optional.ofNullable(oidc.getIDTokenString())
                : Optional.empty();
        try {
            KindeIdentity identity = kinde.audience().map(a -> verifyAccessToken(accessToken, a))
                    .orElseGet(() -> verifyAccessToken(accessToken));
            if (identity.subject().isEmpty() || identity.grantTypes().contains(KindeIdentity.CLIENT_CREDENTIALS)) {
                throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                        "Kinde's refreshed access token does not speak for a user");
            }
            Optional<String> email = Optional.empty();
            if (idToken.isPresent()) {
                com.nimbusds.jwt.JWTClaimsSet idClaims = verifier().verifyRefreshedIdToken(
                        KindeTokenVerifier.preflight(idToken.get()), kinde.clientId());
                // OpenID Connect Core 1.0 §12.2: the refreshed ID token names the same user
                if (!identity.subject().get().equals(idClaims.getSubject())) {
                    throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                            "Kinde's refreshed access and ID tokens name different users");
                }
                email = Optional.ofNullable((String) idClaims.getClaim("email"));
            }
            return new KindeLogin(identity.subject().get(), email, identity,
                    new KindeTokens(accessToken, Optional.of(refreshToken), idToken, identity.expiresAt()));
        } catch (KindeTokenException | ClassCastException e) {
            String why = e instanceof KindeTokenException t ? t.reason().name() : "email is not a string";
            LOG.warning(() -> "security: Kinde's refreshed tokens rejected: " + why);
            throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                    "Kinde's refreshed tokens failed validation: " + why, e);
        }
    }

    /**
     * Checks a machine caller's own Kinde M2M credentials with the client credentials grant at Kinde's token
     * endpoint (client_secret_post, the configured audience) and verifies that the token Kinde returns is an M2M
     * token for that audience and that application (signature, iss, exp, aud, {@code gty} containing
     * client_credentials, no {@code sub}, {@code azp} equal to the client id when present). The secret is used
     * for this one request and not kept.
     *
     * @throws KindeUpstreamException {@code CLIENT_REJECTED} when Kinde refuses the credentials
     *                                ({@code invalid_client}, {@code unauthorized_client}, 401) or they are empty;
     *                                {@code UNREACHABLE} when Kinde cannot be reached in time or answers 5xx or
     *                                429; {@code MISCONFIGURED} without a configured audience; {@code REJECTED}
     *                                for any other error, a malformed answer or a token that fails validation
     */
    public KindeMachineLogin machineLogin(String kindeClientId, String kindeClientSecret) {
        KindeSettings kinde = settings.orElseThrow(() -> notConfigured());
        if (!usableCredential(kindeClientId) || !usableCredential(kindeClientSecret)) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.CLIENT_REJECTED,
                    "machine credentials are empty or too long");
        }
        String audience = requiredAudience(kinde);
        Secret secret = new Secret(kindeClientSecret);
        try {
            TokenRequest request = new TokenRequest.Builder(providerMetadata().getTokenEndpointURI(),
                    new ClientSecretPost(new ClientID(kindeClientId), secret), new ClientCredentialsGrant())
                    .customParameter(AUDIENCE_PARAMETER, audience).build();
            Tokens tokens = tokenRequest(request, kinde, (status, error) -> {
                String code = error == null ? null : error.getCode();
                // RFC 6749 §5.2: invalid_client (401) and unauthorized_client both refuse this client
                if (status == 401 || OAuth2Error.INVALID_CLIENT.getCode().equals(code)
                        || OAuth2Error.UNAUTHORIZED_CLIENT.getCode().equals(code)) {
                    return new KindeUpstreamException(KindeUpstreamException.Reason.CLIENT_REJECTED,
                            "Kinde refused the machine credentials: " + OAuthText.code(error) + " (" + status + ")");
                }
                return new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                        "Kinde refused the client credentials grant: " + OAuthText.code(error) + " (" + status + ")");
            });
            // RFC 6749 §4.4.3: a refresh token SHOULD NOT be issued; one that comes anyway is dropped
            String accessToken = tokens.getAccessToken().getValue();
            KindeIdentity identity;
            try {
                identity = machineIdentity(accessToken, audience);
            } catch (KindeTokenException e) {
                LOG.warning(() -> "security: Kinde's client credentials token rejected: " + e.reason());
                throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                        "Kinde's client credentials token failed validation: " + e.reason(), e);
            }
            if (identity.authorizedParty().isPresent() && !identity.authorizedParty().get().equals(kindeClientId)) {
                LOG.warning("security: Kinde's client credentials token names another application");
                throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                        "Kinde's client credentials token was issued to another application");
            }
            return new KindeMachineLogin(kindeClientId, identity,
                    new KindeTokens(accessToken, Optional.empty(), Optional.empty(), identity.expiresAt()));
        } finally {
            secret.erase();
        }
    }

    /**
     * Verifies a Kinde M2M access token presented for token exchange: valid as {@link #verifyAccessToken(String,
     * String)} for the configured audience, and a machine token ({@code gty} contains client_credentials, no
     * {@code sub}).
     *
     * @throws KindeTokenException when the token is not valid, not for the configured audience, or a user's
     * @throws KindeUpstreamException when Kinde is not configured (or has no audience) or cannot be reached
     */
    public KindeIdentity verifyMachineToken(String token) {
        return machineIdentity(token, requiredAudience(settings.orElseThrow(() -> notConfigured())));
    }

    private KindeIdentity machineIdentity(String token, String audience) {
        KindeIdentity identity = verifyAccessToken(token, audience);
        // Kinde "M2M token claims": gty contains client_credentials and there is no sub
        if (!identity.machine()) {
            LOG.fine("Kinde token rejected: not an M2M token");
            throw new KindeTokenException(KindeTokenException.Reason.NOT_MACHINE, "Kinde token is not an M2M token",
                    null);
        }
        return identity;
    }

    private static String requiredAudience(KindeSettings kinde) {
        return kinde.audience().orElseThrow(() -> new KindeUpstreamException(
                KindeUpstreamException.Reason.MISCONFIGURED,
                "machine callers need the Kinde API audience: set kinde.audience (KINDE_AUDIENCE)"));
    }

    private static boolean usableCredential(String value) {
        return value != null && !value.isBlank() && value.length() <= MAX_CREDENTIAL_LENGTH;
    }

    private static ClientSecretPost bridgeClient(KindeSettings kinde) {
        return new ClientSecretPost(new ClientID(kinde.clientId()), new Secret(kinde.clientSecret()));
    }

    /** Turns an error answer of Kinde's token endpoint (status, parsed error or null) into the failure to throw. */
    @FunctionalInterface
    private interface TokenErrors {
        KindeUpstreamException failure(int status, ErrorObject error);
    }

    /**
     * Sends a token request and returns the tokens of a successful answer. 5xx and 429 are {@code UNREACHABLE};
     * a 200 that is not a token response is {@code REJECTED}; every other answer goes to {@code errors}.
     */
    private Tokens tokenRequest(TokenRequest request, KindeSettings kinde, TokenErrors errors) {
        HTTPResponse response = send(request.toHTTPRequest(), kinde);
        int status = response.getStatusCode();
        if (status >= 500 || status == 429) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.UNREACHABLE,
                    "Kinde's token endpoint " + request.getEndpointURI() + " answered " + status);
        }
        TokenResponse parsed = null;
        try {
            parsed = OIDCTokenResponseParser.parse(response);
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            // R-TK-8: the parser's message may quote Kinde's body, tokens included, so it is not kept as the cause
            if (status == 200) {
                throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                        "Kinde's token response is not a valid token response");
            }
        }
        if (parsed == null || !parsed.indicatesSuccess()) {
            throw errors.failure(status, parsed == null ? null : parsed.toErrorResponse().getErrorObject());
        }
        return parsed.toSuccessResponse().getTokens();
    }

    /** Times every call to Kinde (issue 15.2); replaced by CDI, none when built by hand. */
    @Inject
    dev.kindemcp.bridge.telemetry.BridgeMetrics metrics = dev.kindemcp.bridge.telemetry.BridgeMetrics.NONE;

    /** The endpoint a Kinde URL is, as a metric attribute. */
    static String endpointOf(URL url) {
        String path = url.getPath();
        if (path.endsWith("/token")) {
            return "token";
        }
        if (path.endsWith("/revoke")) {
            return "revoke";
        }
        if (path.endsWith("/openid-configuration")) {
            return "discovery";
        }
        return path.endsWith("jwks.json") || path.endsWith("/jwks") ? "keys" : "other";
    }

    private HTTPResponse send(HTTPRequest request, KindeSettings kinde) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            HTTPResponse response = sendBounded(request, kinde);
            outcome = response.getStatusCode() < 400 ? "success" : "error";
            return response;
        } finally {
            metrics.kindeCall(endpointOf(request.getURL()), outcome, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static HTTPResponse sendBounded(HTTPRequest request, KindeSettings kinde) {
        request.setConnectTimeout(millis(kinde.connectTimeout()));
        request.setReadTimeout(millis(kinde.readTimeout()));
        // a slow Kinde holds at most this many request threads; the others fail at once (issue 14.6)
        if (!CALLS_IN_FLIGHT.tryAcquire()) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.UNREACHABLE, "Kinde is not answering: "
                    + MAX_CALLS_IN_FLIGHT + " requests to it are already waiting");
        }
        try {
            return request.send();
        } catch (IOException e) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.UNREACHABLE,
                    "Kinde at " + request.getURL() + " could not be reached in time", e);
        } finally {
            CALLS_IN_FLIGHT.release();
        }
    }

    private static KindeUpstreamException notConfigured() {
        return new KindeUpstreamException(KindeUpstreamException.Reason.NOT_CONFIGURED,
                "Kinde is not configured: set kinde.domain (KINDE_DOMAIN), kinde.client-id and "
                        + "kinde.client-secret, or run the development identity provider");
    }

    /** Kinde's validated discovery document, fetched on first use. */
    /**
     * Revokes a Kinde refresh token at Kinde's revocation endpoint ({@code POST /oauth2/revoke}, the bridge's
     * application credentials in the form), so that a grant the bridge ended cannot be renewed at Kinde either.
     *
     * @throws KindeUpstreamException {@code UNREACHABLE} when Kinde cannot be reached or answers 5xx or 429,
     *                                {@code REJECTED} for any other answer than 200
     */
    public void revokeRefreshToken(String refreshToken) {
        KindeSettings kinde = settings.orElseThrow(() -> notConfigured());
        OIDCProviderMetadata metadata = providerMetadata();
        URI endpoint = metadata.getRevocationEndpointURI() != null ? metadata.getRevocationEndpointURI()
                : URI.create(kinde.issuer() + "/oauth2/revoke");
        HTTPResponse response = send(new TokenRevocationRequest(endpoint, new ClientSecretPost(
                new ClientID(kinde.clientId()), new Secret(kinde.clientSecret())), new RefreshToken(refreshToken))
                .toHTTPRequest(), kinde);
        int status = response.getStatusCode();
        if (status >= 500 || status == 429) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.UNREACHABLE,
                    "Kinde's revocation endpoint " + endpoint + " answered " + status);
        }
        // RFC 7009 §2.2: 200 whether or not the token was still valid
        if (status != 200) {
            throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                    "Kinde's revocation endpoint " + endpoint + " answered " + status);
        }
    }

    /**
     * The issuer Kinde's discovery document announces, for the startup check; empty when Kinde is not configured
     * or cannot be reached now (then said once in the log with the URL and the cause).
     */
    public Optional<String> announcedIssuer() {
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        try {
            return discovery().probe();
        } catch (KindeUpstreamException e) {
            LOG.warning(() -> "Kinde could not be checked at startup; it is tried again on first use: "
                    + e.describe());
            return Optional.empty();
        }
    }

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
            LOG.log(Level.WARNING, "Kinde is unavailable: {0}", e.describe());
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
                verifier = new KindeTokenVerifier(kinde.issuer(), Set.copyOf(kinde.issuers()),
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
    private ResourceRetriever retriever(KindeSettings kinde) {
        ResourceRetriever http = new DefaultResourceRetriever(millis(kinde.connectTimeout()),
                millis(kinde.readTimeout()), MAX_DOCUMENT_BYTES);
        return url -> {
            long start = System.nanoTime();
            String outcome = "error";
            try {
                Resource resource = http.retrieveResource(url);
                outcome = "success";
                return resource;
            } finally {
                metrics.kindeCall(endpointOf(url), outcome, Duration.ofNanos(System.nanoTime() - start));
            }
        };
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
