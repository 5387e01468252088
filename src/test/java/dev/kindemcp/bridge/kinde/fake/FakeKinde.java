package dev.kindemcp.bridge.kinde.fake;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Kinde-compatible OpenID provider for tests and local development, on the JDK HTTP server bound to
 * 127.0.0.1: discovery, JWKS, authorization (scripted or through a sign-in form), token (authorization code
 * with PKCE, rotating refresh tokens, M2M client credentials), user profile and logout, all in Kinde's wire
 * format. Tests script it (users, apps, logins, faults, key rotation) and inspect every request it received.
 * Thread-safe.
 *
 * <p>Related specifications:
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata">OpenID Connect Discovery 1.0 §3 Provider Metadata</a>
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth">OpenID Connect Core 1.0 §3.1 Authorization Code Flow</a>
 * @see <a href="https://docs.kinde.com/build/tokens/about-access-tokens/">Kinde: Access tokens</a>
 * @see <a href="https://docs.kinde.com/machine-to-machine-applications/about-m2m/token-structure-and-claims-for-m2m-applications">Kinde: M2M token claims</a>
 */
public final class FakeKinde implements AutoCloseable {

    public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
    public static final String JWKS_PATH = "/.well-known/jwks";
    public static final String AUTHORIZATION_PATH = "/oauth2/auth";
    public static final String LOGIN_PATH = "/oauth2/auth/login";
    public static final String TOKEN_PATH = "/oauth2/token";
    public static final String REVOCATION_PATH = "/oauth2/revoke";
    public static final String USER_PROFILE_PATH = "/oauth2/v2/user_profile";
    public static final String LOGOUT_PATH = "/logout";

    /** Kinde's default access-token lifetime. */
    public static final Duration DEFAULT_ACCESS_TOKEN_LIFETIME = Duration.ofDays(1);

    /** Appears in the body of every injected fault, so tests can check that it is never echoed. */
    public static final String FAULT_MARKER = "fake-kinde-injected-fault";

    private final HttpServer server;
    private final ExecutorService executor;
    private final String issuer;
    private final Instant startedAt;
    private final FakeKindeKeys keys = new FakeKindeKeys();
    private final FakeTokenEndpoint tokens;
    private final FakeAuthorizationEndpoint authorization;
    private final Map<String, FakeApp> apps = new ConcurrentHashMap<>();
    private final Map<String, FakeM2mApp> m2mApps = new ConcurrentHashMap<>();
    private final Map<String, FakeUser> users = new ConcurrentHashMap<>();
    private final Map<String, FakeOrg> orgs = new ConcurrentHashMap<>();
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final Map<String, Integer> outages = new ConcurrentHashMap<>();
    private final Map<String, String> outageErrors = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile Clock clock = Clock.systemUTC();
    private volatile Duration accessTokenLifetime = DEFAULT_ACCESS_TOKEN_LIFETIME;
    private volatile boolean reuseValidAccessTokenOnRefresh = true;
    private volatile boolean rotateRefreshTokens = true;
    private volatile AutoLogin autoLogin;
    private volatile FakeTenant tenant = FakeTenant.kindeDefaults();
    private volatile java.util.concurrent.CountDownLatch hang;
    private volatile java.util.function.Function<Map<String, Object>, String> idTokenForger;
    private volatile java.util.function.Function<Map<String, Object>, String> accessTokenForger;

    private FakeKinde(int port) throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        server = HttpServer.create(new InetSocketAddress(loopback, port), 64);
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-kinde-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        tokens = new FakeTokenEndpoint(this);
        authorization = new FakeAuthorizationEndpoint(this, tokens);
        server.start();
        issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        startedAt = clock.instant();
    }

    /** Starts on an ephemeral port with the demo data and the test bridge application. */
    public static FakeKinde start() {
        return start(0, KindeDemoData.bridgeApp());
    }

    /** Starts on {@code port} (0 = ephemeral) with the demo data and {@code bridgeApp} registered. */
    public static FakeKinde start(int port, FakeApp bridgeApp) {
        FakeKinde kinde;
        try {
            kinde = new FakeKinde(port);
        } catch (IOException e) {
            throw new IllegalStateException("FakeKinde cannot listen on 127.0.0.1:" + port, e);
        }
        KindeDemoData.orgs().forEach(kinde::registerOrg);
        KindeDemoData.users().forEach(kinde::registerUser);
        kinde.registerM2mApp(KindeDemoData.m2mApp());
        kinde.registerApp(bridgeApp);
        return kinde;
    }

    /** The issuer, {@code http://127.0.0.1:<port>}, without a trailing slash (as Kinde writes it). */
    public String issuer() {
        return issuer;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** An absolute URL on this server for a path that starts with {@code /}. */
    public URI url(String path) {
        return URI.create(issuer + path);
    }


    public FakeKinde registerApp(FakeApp app) {
        apps.put(app.clientId(), app);
        return this;
    }

    public FakeKinde registerM2mApp(FakeM2mApp app) {
        m2mApps.put(app.clientId(), app);
        return this;
    }

    public FakeKinde registerUser(FakeUser user) {
        users.put(user.id(), user);
        return this;
    }

    public FakeKinde registerOrg(FakeOrg org) {
        orgs.put(org.code(), org);
        return this;
    }

    /** Deletes a user, as an admin would in Kinde: the user's refresh tokens stop working. */
    public FakeKinde removeUser(String id) {
        users.remove(id);
        return this;
    }

    public Optional<FakeUser> user(String id) {
        return Optional.ofNullable(users.get(id));
    }

    public List<FakeUser> users() {
        return List.copyOf(users.values());
    }

    Optional<FakeApp> app(String clientId) {
        return Optional.ofNullable(apps.get(clientId));
    }

    Optional<FakeM2mApp> m2mApp(String clientId) {
        return Optional.ofNullable(m2mApps.get(clientId));
    }

    Optional<FakeOrg> org(String code) {
        return Optional.ofNullable(orgs.get(code));
    }


    /**
     * From now on, {@code /oauth2/auth} logs {@code userId} into {@code orgCode} (null: the requested org, else
     * the user's first) and redirects at once, without showing the sign-in form.
     */
    public void autoLogin(String userId, String orgCode) {
        autoLogin = new AutoLogin(Objects.requireNonNull(userId, "userId must not be null"),
                Optional.ofNullable(orgCode));
    }

    /** Back to the sign-in form for every authorization request. */
    public void manualLogin() {
        autoLogin = null;
    }

    /** The next request to {@code path} gets {@code status} with a JSON error body. */
    public void failNext(String path, int status) {
        queue(path).add(new Fault.Fail(status));
    }

    /**
     * Every request to {@code path} gets {@code status} with the OAuth {@code error} until {@link #clearFaults()}
     * (Kinde answering a rotated-out refresh token with {@code invalid_request}, say).
     */
    public void failAlways(String path, int status, String error) {
        outageErrors.put(path, error);
        outages.put(path, status);
    }

    /** Every request to {@code path} gets {@code status} until {@link #clearFaults()}. */
    public void failAlways(String path, int status) {
        outages.put(path, status);
    }

    /** The next request to {@code path} is answered only after {@code delay}. */
    public void delayNext(String path, Duration delay) {
        queue(path).add(new Fault.Delay(delay));
    }

    /** The next request to {@code path} gets 200 with a truncated HTML body labelled as JSON. */
    public void malformNext(String path) {
        queue(path).add(new Fault.Malform());
    }

    /**
     * Kinde hanging: every request from now on waits without an answer (up to a minute) until
     * {@link #clearFaults()}, then is answered as usual.
     */
    public void hangAll() {
        hang = new java.util.concurrent.CountDownLatch(1);
    }

    public void clearFaults() {
        java.util.concurrent.CountDownLatch hanging = hang;
        hang = null;
        if (hanging != null) {
            hanging.countDown();
        }
        faults.clear();
        outages.clear();
        outageErrors.clear();
    }

    /** A new signing key with a new kid signs from now on; the old public key stays published. */
    public String rotateKeys() {
        return keys.rotate();
    }

    /** Stops publishing every key but the current one. */
    public void dropRetiredKeys() {
        keys.dropRetired();
    }

    public String currentKid() {
        return keys.current().getKeyID();
    }

    /** The public keys served at {@code /.well-known/jwks}. */
    public JWKSet publicJwkSet() {
        return keys.publicJwkSet();
    }

    /** Signs arbitrary claims with the current key under Kinde's header (RS256, kid, {@code typ: JWT}). */
    public String sign(Map<String, Object> claims) {
        return keys.sign(keys.standardHeader(), claims);
    }

    /**
     * Makes the next ID token come from {@code forger}, which receives the claims the fake would have signed
     * and returns any compact JWT (unsigned, wrongly signed, other claims): for negative tests of the relying
     * party.
     */
    public void forgeNextIdToken(java.util.function.Function<Map<String, Object>, String> forger) {
        this.idTokenForger = forger;
    }

    /** The ID token for these claims: forged once if a test asked for it, else signed normally. */
    String idToken(Map<String, Object> claims) {
        java.util.function.Function<Map<String, Object>, String> forger = idTokenForger;
        if (forger != null) {
            idTokenForger = null;
            return forger.apply(claims);
        }
        return sign(claims);
    }

    /**
     * Makes the next access token the token endpoint mints (code, refresh or client credentials) come from
     * {@code forger}, which receives the claims the fake would have signed: for negative tests of the relying
     * party.
     */
    public void forgeNextAccessToken(java.util.function.Function<Map<String, Object>, String> forger) {
        this.accessTokenForger = forger;
    }

    /** The access token for these claims: forged once if a test asked for it, else signed normally. */
    String accessToken(Map<String, Object> claims) {
        java.util.function.Function<Map<String, Object>, String> forger = accessTokenForger;
        if (forger != null) {
            accessTokenForger = null;
            return forger.apply(claims);
        }
        return sign(claims);
    }

    /** Signs arbitrary claims with the current private key under an arbitrary RS* header. */
    public String sign(JWSHeader header, Map<String, Object> claims) {
        return keys.sign(header, claims);
    }

    /** Valid claims of a user access token, as the token endpoint would issue them now (mutable copy). */
    public Map<String, Object> userAccessTokenClaims(String userId, String orgCode, String... audiences) {
        FakeUser user = user(userId).orElseThrow(() -> new IllegalArgumentException("unknown user " + userId));
        Instant now = now();
        return new LinkedHashMap<>(tokens.userAccessClaims(user, orgCode, KindeDemoData.BRIDGE_CLIENT_ID,
                List.of("openid", "profile", "email", "offline"), Arrays.asList(audiences), now,
                now.plus(accessTokenLifetime)));
    }

    /** Valid claims of an M2M access token for a registered M2M app (mutable copy). */
    public Map<String, Object> m2mAccessTokenClaims(String clientId, String audience, String... scopes) {
        FakeM2mApp app = m2mApp(clientId).orElseThrow(() -> new IllegalArgumentException("unknown app " + clientId));
        Instant now = now();
        return new LinkedHashMap<>(tokens.m2mClaims(app, List.of(audience), Arrays.asList(scopes),
                Arrays.asList(scopes), now, now.plus(tenant.m2mTokenLifetime())));
    }

    /** A signed, valid user access token. */
    public String issueUserAccessToken(String userId, String orgCode, String... audiences) {
        return sign(userAccessTokenClaims(userId, orgCode, audiences));
    }

    /** The settings of the Kinde business this fake plays ({@link FakeTenant#kindeDefaults()} at start). */
    public FakeTenant tenant() {
        return tenant;
    }

    public void setTenant(FakeTenant tenant) {
        this.tenant = Objects.requireNonNull(tenant, "tenant must not be null");
    }

    public void setClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    public void setAccessTokenLifetime(Duration lifetime) {
        this.accessTokenLifetime = Objects.requireNonNull(lifetime, "lifetime must not be null");
    }

    /** Kinde hands back the still-valid access token on refresh; {@code false} always mints a new one. */
    public void setReuseValidAccessTokenOnRefresh(boolean reuse) {
        this.reuseValidAccessTokenOnRefresh = reuse;
    }

    /**
     * Kinde rotates refresh tokens (the default); {@code false} keeps the presented refresh token valid and sends
     * no {@code refresh_token} in refresh answers, which RFC 6749 §6 allows.
     */
    public void setRotateRefreshTokens(boolean rotate) {
        this.rotateRefreshTokens = rotate;
    }


    /** The refresh tokens the bridge's application revoked at {@code /oauth2/revoke}, oldest first. */
    public List<String> revokedRefreshTokens() {
        return tokens.revokedRefreshTokens();
    }

    /** Every request received so far, oldest first (a snapshot). */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public int requestCount(String path) {
        return (int) requests.stream().filter(r -> r.path().equals(path)).count();
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }


    Instant now() {
        return clock.instant();
    }

    Instant startedAt() {
        return startedAt;
    }

    FakeKindeKeys keys() {
        return keys;
    }

    Duration accessTokenLifetime() {
        return accessTokenLifetime;
    }

    boolean reuseValidAccessTokenOnRefresh() {
        return reuseValidAccessTokenOnRefresh;
    }

    boolean rotateRefreshTokens() {
        return rotateRefreshTokens;
    }

    Optional<AutoLogin> autoLoginScript() {
        return Optional.ofNullable(autoLogin);
    }

    /** A scripted login: who, and into which organisation (empty: the requested or first one). */
    record AutoLogin(String userId, Optional<String> orgCode) {
    }


    private void dispatch(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String body = FakeHttp.readBody(exchange);
            Map<String, List<String>> query = FakeHttp.query(exchange.getRequestURI());
            Map<String, List<String>> form = FakeHttp.isForm(exchange) ? FakeHttp.decode(body) : Map.of();
            requests.add(new RecordedRequest(method, path, query, form, exchange.getRequestHeaders()));
            java.util.concurrent.CountDownLatch hanging = hang;
            if (hanging != null) {
                hanging.await(1, java.util.concurrent.TimeUnit.MINUTES);
            }
            if (injectFault(exchange, path)) {
                return;
            }
            route(exchange, method, path, query, form, body);
        } catch (IOException clientGone) {
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            try {
                FakeHttp.json(exchange, 500, Map.of("error", OAuth2Error.SERVER_ERROR.getCode()));
            } catch (IOException | RuntimeException headersAlreadySent) {
                return;
            }
        }
    }

    private void route(HttpExchange exchange, String method, String path, Map<String, List<String>> query,
            Map<String, List<String>> form, String body) throws IOException {
        String allowed = switch (path) {
            case LOGIN_PATH, TOKEN_PATH, REVOCATION_PATH -> "POST";
            case DISCOVERY_PATH, JWKS_PATH, AUTHORIZATION_PATH, USER_PROFILE_PATH, LOGOUT_PATH -> "GET";
            default -> null;
        };
        if (allowed == null) {
            FakeHttp.json(exchange, 404, Map.of("error", "not_found"));
            return;
        }
        if (!allowed.equals(method)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            FakeHttp.json(exchange, 405, Map.of("error", "method_not_allowed"));
            return;
        }
        switch (path) {
            case DISCOVERY_PATH -> FakeHttp.json(exchange, 200, discovery().toJSONObject());
            case JWKS_PATH -> FakeHttp.json(exchange, 200, keys.publicJwkSet().toJSONObject(true));
            case AUTHORIZATION_PATH -> authorization.authorize(exchange, query);
            case LOGIN_PATH -> authorization.login(exchange, form);
            case TOKEN_PATH -> tokens.handle(exchange, body);
            case REVOCATION_PATH -> tokens.revoke(exchange, body);
            case USER_PROFILE_PATH -> userProfile(exchange);
            default -> logout(exchange, query);
        }
    }

    /** The discovery document, with the endpoints and capabilities Kinde publishes. */
    private OIDCProviderMetadata discovery() {
        OIDCProviderMetadata metadata = new OIDCProviderMetadata(new Issuer(issuer), List.of(SubjectType.PUBLIC),
                url(JWKS_PATH));
        metadata.setAuthorizationEndpointURI(url(AUTHORIZATION_PATH));
        metadata.setTokenEndpointURI(url(TOKEN_PATH));
        metadata.setRevocationEndpointURI(url(REVOCATION_PATH));
        metadata.setUserInfoEndpointURI(url(USER_PROFILE_PATH));
        metadata.setEndSessionEndpointURI(url(LOGOUT_PATH));
        metadata.setScopes(new Scope("openid", "profile", "email", "offline"));
        metadata.setResponseTypes(List.of(ResponseType.CODE));
        metadata.setResponseModes(List.of(ResponseMode.QUERY));
        metadata.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN,
                GrantType.CLIENT_CREDENTIALS));
        metadata.setTokenEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST));
        metadata.setIDTokenJWSAlgs(List.of(JWSAlgorithm.RS256));
        metadata.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        metadata.setSupportsRequestURIParam(false);
        metadata.setClaims(List.of("aud", "exp", "iat", "iss", "sub", "email", "email_verified", "name",
                "given_name", "family_name", "picture", "updated_at", "org_codes"));
        return metadata;
    }

    /** {@code GET /oauth2/v2/user_profile}: the profile of the user behind a Kinde access token. */
    private void userProfile(HttpExchange exchange) throws IOException {
        String authorizationHeader = exchange.getRequestHeaders().getFirst("Authorization");
        Optional<FakeUser> user = Optional.empty();
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            user = tokens.userForAccessToken(authorizationHeader.substring(7).trim());
        }
        if (user.isEmpty()) {
            FakeHttp.json(exchange, 403, Map.of("error", BearerTokenError.INVALID_TOKEN.getCode(),
                    "error_description", "Invalid credentials"));
            return;
        }
        FakeUser u = user.get();
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("id", u.id());
        profile.put("sub", u.id());
        profile.put("provided_id", null);
        profile.put("name", u.name());
        profile.put("given_name", u.givenName());
        profile.put("family_name", u.familyName());
        profile.put("updated_at", startedAt.getEpochSecond());
        profile.put("email", u.email());
        profile.put("email_verified", true);
        profile.put("picture", null);
        FakeHttp.json(exchange, 200, profile);
    }

    /** {@code GET /logout}: back to {@code redirect} when it is on a registered application's origin. */
    private void logout(HttpExchange exchange, Map<String, List<String>> query) throws IOException {
        List<String> redirect = query.getOrDefault("redirect", List.of());
        if (redirect.isEmpty()) {
            FakeHttp.html(exchange, 200, LoginPage.signedOut());
            return;
        }
        URI target;
        try {
            target = URI.create(redirect.get(0));
        } catch (IllegalArgumentException e) {
            target = null;
        }
        String origin = target == null || target.getScheme() == null ? ""
                : target.getScheme() + "://" + target.getRawAuthority();
        boolean allowed = apps.values().stream().flatMap(app -> app.callbackUrls().stream()).map(URI::create)
                .anyMatch(callback -> (callback.getScheme() + "://" + callback.getRawAuthority()).equals(origin));
        if (!allowed) {
            FakeHttp.html(exchange, 400, LoginPage.error("Invalid logout redirect",
                    "redirect is not on an allowed application origin."));
            return;
        }
        FakeHttp.redirect(exchange, target);
    }

    private boolean injectFault(HttpExchange exchange, String path) throws IOException, InterruptedException {
        Deque<Fault> queue = faults.get(path);
        Fault fault = queue == null ? null : queue.poll();
        if (fault instanceof Fault.Delay delay) {
            Thread.sleep(delay.duration().toMillis());
        } else if (fault instanceof Fault.Fail fail) {
            sendFault(exchange, fail.status());
            return true;
        } else if (fault instanceof Fault.Malform) {
            FakeHttp.send(exchange, 200, FakeHttp.JSON, "<html><head><title>" + FAULT_MARKER + "</title></head><bo");
            return true;
        }
        Integer outage = outages.get(path);
        if (outage != null) {
            FakeHttp.json(exchange, outage, Map.of("error", outageErrors.getOrDefault(path,
                    OAuth2Error.SERVER_ERROR.getCode()), "error_description", FAULT_MARKER));
            return true;
        }
        return false;
    }

    private static void sendFault(HttpExchange exchange, int status) throws IOException {
        FakeHttp.json(exchange, status, Map.of("error", OAuth2Error.SERVER_ERROR.getCode(), "error_description",
                FAULT_MARKER));
    }

    private Deque<Fault> queue(String path) {
        return faults.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>());
    }

    /** A scripted misbehaviour for one request. */
    private sealed interface Fault {

        record Fail(int status) implements Fault {
        }

        record Delay(Duration duration) implements Fault {
        }

        record Malform() implements Fault {
        }
    }
}
