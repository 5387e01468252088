package dev.kindemcp.bridge.kinde.fake;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FakeKinde's {@code /oauth2/token}: the authorization code grant with PKCE, Kinde's rotating refresh tokens
 * (which hand back the still-valid access token), and client credentials for M2M applications. Also mints the
 * Kinde-shaped access and ID tokens. Thread-safe.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3">RFC 6749 §4.1.3 Access Token Request</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 §6 Refreshing an Access Token</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636#section-4.6">RFC 7636 §4.6 Server Verifies code_verifier</a>
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#IDToken">OpenID Connect Core 1.0 §2 ID Token</a>
 * @see <a href="https://docs.kinde.com/build/tokens/about-access-tokens/">Kinde: Access tokens (refresh returns an unexpired access token)</a>
 */
final class FakeTokenEndpoint {

    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    static final Duration ID_TOKEN_LIFETIME = Duration.ofHours(1);
    /** Kinde issues a refresh token only when this scope is granted (it does not use offline_access). */
    static final String OFFLINE_SCOPE = "offline";
    private static final String CLIENT_CREDENTIALS_GTY = GrantType.CLIENT_CREDENTIALS.getValue();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final FakeKinde kinde;
    private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();
    private final Map<String, RefreshGrant> refreshTokens = new ConcurrentHashMap<>();
    private final List<String> revoked = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Rotated-out refresh tokens, usable until the overlap ends. */
    private final Map<String, Retired> retired = new ConcurrentHashMap<>();

    FakeTokenEndpoint(FakeKinde kinde) {
        this.kinde = kinde;
    }

    /** Stores a single-use authorization code for a completed login and returns it. */
    String issueCode(LoginRequest request, FakeUser user, String orgCode, Instant authTime) {
        String code = randomToken();
        codes.put(code, new IssuedCode(request, user.id(), orgCode, authTime, kinde.now().plus(CODE_LIFETIME)));
        return code;
    }

    void handle(HttpExchange exchange, String body) throws IOException {
        TokenResponse response;
        try {
            HTTPRequest http = new HTTPRequest(HTTPRequest.Method.POST, kinde.url(FakeKinde.TOKEN_PATH));
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                http.setHeader("Content-Type", contentType);
            }
            http.setAuthorization(exchange.getRequestHeaders().getFirst("Authorization"));
            http.setBody(body);
            response = respond(TokenRequest.parse(http));
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() == null ? OAuth2Error.INVALID_REQUEST : e.getErrorObject();
            response = new TokenErrorResponse(error);
        } catch (TokenError e) {
            response = new TokenErrorResponse(e.error);
        }
        FakeHttp.nimbus(exchange, response.toHTTPResponse());
    }

    /**
     * {@code POST /oauth2/revoke}: Kinde's revocation endpoint, with the application's client id and secret in
     * the form; a refresh token of that application stops working (also for the overlap). Always 200 for an
     * authenticated application, as RFC 7009 §2.2 says.
     */
    void revoke(HttpExchange exchange, String body) throws IOException {
        Map<String, List<String>> form = FakeHttp.decode(body);
        String clientId = first(form, "client_id");
        String secret = first(form, "client_secret");
        if (kinde.app(clientId).filter(a -> same(a.clientSecret(), secret)).isEmpty()) {
            FakeHttp.json(exchange, 401, Map.of("error", "invalid_client"));
            return;
        }
        String token = first(form, "token");
        RefreshGrant grant = refreshTokens.get(token);
        if (grant != null && grant.clientId().equals(clientId)) {
            refreshTokens.remove(token);
            revoked.add(token);
        }
        retired.remove(token);
        FakeHttp.json(exchange, 200, Map.of());
    }

    /** The refresh tokens revoked through the revocation endpoint so far. */
    List<String> revokedRefreshTokens() {
        return List.copyOf(revoked);
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private TokenResponse respond(TokenRequest request) {
        AuthorizationGrant grant = request.getAuthorizationGrant();
        ClientAuthentication auth = request.getClientAuthentication();
        if (auth == null) {
            throw new TokenError(OAuth2Error.INVALID_CLIENT.setDescription("Client authentication is required"));
        }
        String clientId = auth.getClientID().getValue();
        String secret = auth instanceof ClientSecretBasic basic ? basic.getClientSecret().getValue()
                : auth instanceof ClientSecretPost post ? post.getClientSecret().getValue() : null;
        if (GrantType.CLIENT_CREDENTIALS.equals(grant.getType())) {
            FakeM2mApp app = kinde.m2mApp(clientId).filter(a -> same(a.clientSecret(), secret))
                    .orElseThrow(() -> new TokenError(OAuth2Error.INVALID_CLIENT));
            return clientCredentials(app, request);
        }
        FakeApp app = kinde.app(clientId).filter(a -> same(a.clientSecret(), secret))
                .orElseThrow(() -> new TokenError(OAuth2Error.INVALID_CLIENT));
        if (grant instanceof AuthorizationCodeGrant codeGrant) {
            return exchangeCode(app, codeGrant);
        }
        if (grant instanceof RefreshTokenGrant refreshGrant) {
            return refresh(app, refreshGrant);
        }
        throw new TokenError(OAuth2Error.UNSUPPORTED_GRANT_TYPE);
    }

    private TokenResponse exchangeCode(FakeApp app, AuthorizationCodeGrant grant) {
        // RFC 6749 §4.1.2: the code is single-use; a second attempt finds nothing
        IssuedCode code = codes.remove(grant.getAuthorizationCode().getValue());
        if (code == null || !code.expiresAt().isAfter(kinde.now())) {
            throw new TokenError(OAuth2Error.INVALID_GRANT.setDescription("Unknown or expired code"));
        }
        LoginRequest login = code.request();
        if (!login.clientId().equals(app.clientId())) {
            throw new TokenError(OAuth2Error.INVALID_GRANT.setDescription("Code was issued to another client"));
        }
        // RFC 6749 §4.1.3: redirect_uri MUST be identical to the one in the authorization request
        if (grant.getRedirectionURI() == null || !login.redirectUri().equals(grant.getRedirectionURI())) {
            throw new TokenError(OAuth2Error.INVALID_GRANT.setDescription("redirect_uri does not match"));
        }
        // RFC 7636 §4.6: verifier MUST match the stored S256 challenge
        CodeVerifier verifier = grant.getCodeVerifier();
        if (verifier == null || !CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue()
                .equals(login.codeChallenge())) {
            throw new TokenError(OAuth2Error.INVALID_GRANT.setDescription("PKCE verification failed"));
        }
        FakeUser user = kinde.user(code.userId())
                .orElseThrow(() -> new TokenError(OAuth2Error.INVALID_GRANT.setDescription("User is gone")));
        Instant now = kinde.now();
        Instant accessExpiry = now.plus(kinde.accessTokenLifetime());
        String access = kinde.accessToken(userAccessClaims(user, code.orgCode(), app.clientId(), login.scopes(),
                login.audiences(), now, accessExpiry));
        RefreshGrant refresh = new RefreshGrant(app.clientId(), user.id(), code.orgCode(), login.scopes(),
                login.audiences(), code.authTime(), access, accessExpiry);
        return tokens(user, refresh, login.nonce(), now);
    }

    private TokenResponse refresh(FakeApp app, RefreshTokenGrant grant) {
        String presented = grant.getRefreshToken().getValue();
        RefreshGrant previous = refreshTokens.get(presented);
        Retired retiredToken = previous == null ? retired.get(presented) : null;
        if (retiredToken != null && retiredToken.until().isAfter(kinde.now())) {
            // Kinde: a rotated-out refresh token still works for a short overlap (retries, parallel requests)
            previous = retiredToken.grant();
        }
        if (previous == null || !previous.clientId().equals(app.clientId())
                || !previous.expiresAt().isAfter(kinde.now())) {
            throw new TokenError(OAuth2Error.INVALID_GRANT.setDescription("Unknown refresh token"));
        }
        // RFC 6749 §6: the server MAY issue a new refresh token and revoke the old one; Kinde does by default
        boolean rotate = kinde.rotateRefreshTokens();
        if (rotate && retiredToken == null) {
            if (!refreshTokens.remove(presented, previous)) {
                throw new TokenError(OAuth2Error.INVALID_GRANT.setDescription("Refresh token already used"));
            }
            retired.put(presented, new Retired(previous, kinde.now().plus(kinde.tenant().refreshOverlap())));
        }
        FakeUser user = kinde.user(previous.userId())
                .orElseThrow(() -> new TokenError(OAuth2Error.INVALID_GRANT.setDescription("User is gone")));
        Instant now = kinde.now();
        RefreshGrant next = previous;
        if (!(kinde.reuseValidAccessTokenOnRefresh() && previous.accessTokenExpiresAt().isAfter(now))) {
            Instant accessExpiry = now.plus(kinde.accessTokenLifetime());
            String access = kinde.accessToken(userAccessClaims(user, previous.orgCode(), app.clientId(),
                    previous.scopes(), previous.audiences(), now, accessExpiry));
            next = previous.withAccessToken(access, accessExpiry);
        }
        if (!rotate) {
            refreshTokens.put(presented, next);
        }
        return tokens(user, next, Optional.empty(), now, rotate);
    }

    private TokenResponse tokens(FakeUser user, RefreshGrant grant, Optional<String> nonce, Instant now) {
        return tokens(user, grant, nonce, now, true);
    }

    private TokenResponse tokens(FakeUser user, RefreshGrant grant, Optional<String> nonce, Instant now,
            boolean issueRefreshToken) {
        long expiresIn = Math.max(0, Duration.between(now, grant.accessTokenExpiresAt()).getSeconds());
        BearerAccessToken access = new BearerAccessToken(grant.accessToken(), expiresIn,
                Scope.parse(grant.scopes()));
        RefreshToken refresh = null;
        if (issueRefreshToken && grant.scopes().contains(OFFLINE_SCOPE)) {
            String value = randomToken();
            refreshTokens.put(value, grant.withExpiry(now.plus(kinde.tenant().refreshTokenLifetime())));
            refresh = new RefreshToken(value);
        }
        if (!grant.scopes().contains("openid")) {
            return new AccessTokenResponse(new Tokens(access, refresh));
        }
        String idToken = kinde.idToken(idTokenClaims(user, grant, access, nonce, now));
        try {
            return new OIDCTokenResponse(new OIDCTokens(com.nimbusds.jwt.JWTParser.parse(idToken), access, refresh));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("cannot parse the ID token just signed", e);
        }
    }

    private TokenResponse clientCredentials(FakeM2mApp app, TokenRequest request) {
        List<String> audiences = request.getCustomParameters().getOrDefault("audience", List.of()).stream()
                .flatMap(value -> List.of(value.trim().split("\\s+")).stream()).filter(v -> !v.isEmpty()).toList();
        if (audiences.isEmpty()) {
            throw new TokenError(OAuth2Error.INVALID_REQUEST.setDescription("audience is required"));
        }
        if (!app.audiences().containsAll(audiences)) {
            throw new TokenError(OAuth2Error.UNAUTHORIZED_CLIENT.setDescription("Not authorised for this API"));
        }
        // like Kinde: without a scope parameter the token carries every scope the app was granted on the API
        List<String> requested = request.getScope() == null ? List.of() : request.getScope().toStringList();
        List<String> scopes = requested.isEmpty() ? app.scopes().stream().sorted().toList() : requested;
        if (!app.scopes().containsAll(scopes)) {
            throw new TokenError(OAuth2Error.INVALID_SCOPE);
        }
        Instant now = kinde.now();
        Instant expiry = now.plus(kinde.tenant().m2mTokenLifetime());
        String token = kinde.accessToken(m2mClaims(app, audiences, requested, scopes, now, expiry));
        BearerAccessToken access = new BearerAccessToken(token, Duration.between(now, expiry).getSeconds(),
                scopes.isEmpty() ? null : Scope.parse(scopes));
        return new AccessTokenResponse(new Tokens(access, null));
    }

    /**
     * The claims of a Kinde user access token. {@code orgCode} empty: the user signed in without an organisation
     * (no {@code org_code}, {@code permissions} or {@code feature_flags}). Like Kinde, empty permissions and
     * flags are left out rather than sent empty, roles only when the business switched them on, and APIs not
     * enabled for the application are left out of {@code aud}.
     */
    Map<String, Object> userAccessClaims(FakeUser user, String orgCode, String clientId, List<String> scopes,
            List<String> audiences, Instant now, Instant expiry) {
        FakeTenant tenant = kinde.tenant();
        Optional<FakeUser.Membership> membership = orgCode == null || orgCode.isEmpty() ? Optional.empty()
                : Optional.of(user.membership(orgCode).orElseThrow(
                        () -> new IllegalArgumentException(user.id() + " is not a member of " + orgCode)));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", audiences.stream().filter(a -> !tenant.unauthorizedAudiences().contains(a)).toList());
        claims.put("azp", clientId);
        claims.put("exp", expiry.getEpochSecond());
        membership.flatMap(m -> kinde.org(m.orgCode())).map(FakeOrg::featureFlagsClaim).filter(f -> !f.isEmpty())
                .ifPresent(flags -> claims.put(tenant.claimName("feature_flags"), flags));
        claims.put("iat", now.getEpochSecond());
        claims.put("iss", kinde.issuer());
        claims.put("jti", UUID.randomUUID().toString());
        membership.ifPresent(m -> claims.put(tenant.claimName("org_code"), m.orgCode()));
        membership.filter(m -> !m.permissions().isEmpty())
                .ifPresent(m -> claims.put(tenant.claimName("permissions"), new ArrayList<>(m.permissions())));
        if (tenant.rolesInAccessToken()) {
            List<Map<String, Object>> roles = new ArrayList<>();
            membership.ifPresent(m -> m.roles().forEach(role -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("id", role.id());
                r.put("key", role.key());
                r.put("name", role.name());
                roles.add(r);
            }));
            claims.put(tenant.claimName("roles"), roles);
        }
        claims.put("scp", new ArrayList<>(scopes));
        claims.put("sub", user.id());
        claims.put("v", "2");
        return claims;
    }

    /**
     * The claims of a Kinde M2M access token: no {@code sub}, {@code gty} names the grant, {@code scope} the
     * granted scopes and {@code scp} the requested ones (empty when the request named none).
     */
    Map<String, Object> m2mClaims(FakeM2mApp app, List<String> audiences, List<String> requested,
            List<String> granted, Instant now, Instant expiry) {
        FakeTenant tenant = kinde.tenant();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", new ArrayList<>(audiences));
        claims.put("azp", app.clientId());
        claims.put("exp", expiry.getEpochSecond());
        claims.put("gty", List.of(CLIENT_CREDENTIALS_GTY));
        claims.put("iat", now.getEpochSecond());
        claims.put("iss", kinde.issuer());
        claims.put("jti", UUID.randomUUID().toString());
        app.orgCode().ifPresent(org -> claims.put(tenant.claimName("org_code"), org));
        claims.put("scope", String.join(" ", granted));
        claims.put("scp", new ArrayList<>(requested));
        claims.put("v", "2");
        return claims;
    }

    private Map<String, Object> idTokenClaims(FakeUser user, RefreshGrant grant, BearerAccessToken access,
            Optional<String> nonce, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        // OpenID Connect Core 1.0 §3.1.3.6: at_hash is the left half of the SHA-256 of the access token
        claims.put("at_hash", AccessTokenHash.compute(access, JWSAlgorithm.RS256).getValue());
        claims.put("aud", List.of(grant.clientId()));
        claims.put("auth_time", grant.authTime().getEpochSecond());
        claims.put("azp", grant.clientId());
        if (grant.scopes().contains("email")) {
            claims.put("email", user.email());
            claims.put("email_verified", true);
        }
        claims.put("exp", now.plus(ID_TOKEN_LIFETIME).getEpochSecond());
        if (grant.scopes().contains("profile")) {
            claims.put("family_name", user.familyName());
            claims.put("given_name", user.givenName());
            claims.put("name", user.name());
            claims.put("updated_at", kinde.startedAt().getEpochSecond());
        }
        claims.put("iat", now.getEpochSecond());
        claims.put("iss", kinde.issuer());
        claims.put("jti", UUID.randomUUID().toString());
        nonce.ifPresent(n -> claims.put("nonce", n));
        if (kinde.tenant().orgCodesInIdToken()) {
            claims.put(kinde.tenant().claimName("org_codes"), new ArrayList<>(user.orgCodes()));
        }
        claims.put("sub", user.id());
        return claims;
    }

    /** The user behind a Kinde user access token this fake signed and that has not expired. */
    Optional<FakeUser> userForAccessToken(String token) {
        try {
            JWSObject jws = JWSObject.parse(token);
            if (!kinde.keys().verify(jws)) {
                return Optional.empty();
            }
            Map<String, Object> claims = jws.getPayload().toJSONObject();
            Object sub = claims.get("sub");
            Object exp = claims.get("exp");
            if (!kinde.issuer().equals(claims.get("iss")) || !(sub instanceof String) || !(exp instanceof Number)
                    || ((Number) exp).longValue() <= kinde.now().getEpochSecond()) {
                return Optional.empty();
            }
            return kinde.user((String) sub);
        } catch (java.text.ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean same(String expected, String presented) {
        return presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** An authorization code waiting to be exchanged. */
    private record IssuedCode(LoginRequest request, String userId, String orgCode, Instant authTime,
            Instant expiresAt) {
    }

    /** What a refresh token stands for, and the access token last issued for it. */
    private record Retired(RefreshGrant grant, Instant until) {
    }

    private record RefreshGrant(String clientId, String userId, String orgCode, List<String> scopes,
            List<String> audiences, Instant authTime, String accessToken, Instant accessTokenExpiresAt,
            Instant expiresAt) {

        RefreshGrant(String clientId, String userId, String orgCode, List<String> scopes, List<String> audiences,
                Instant authTime, String accessToken, Instant accessTokenExpiresAt) {
            this(clientId, userId, orgCode, scopes, audiences, authTime, accessToken, accessTokenExpiresAt,
                    Instant.MAX);
        }

        RefreshGrant withAccessToken(String token, Instant expiry) {
            return new RefreshGrant(clientId, userId, orgCode, scopes, audiences, authTime, token, expiry, expiresAt);
        }

        RefreshGrant withExpiry(Instant expiry) {
            return new RefreshGrant(clientId, userId, orgCode, scopes, audiences, authTime, accessToken,
                    accessTokenExpiresAt, expiry);
        }
    }

    /** An OAuth error to answer with, raised anywhere in a grant. */
    private static final class TokenError extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final transient ErrorObject error;

        TokenError(ErrorObject error) {
            super(error.getCode(), null, false, false);
            this.error = error;
        }
    }
}
