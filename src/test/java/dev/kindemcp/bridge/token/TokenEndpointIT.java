package dev.kindemcp.bridge.token;

import static dev.kindemcp.bridge.testsupport.LoginDriver.codeExchange;
import static dev.kindemcp.bridge.testsupport.LoginDriver.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.AdminApi;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.Parallel;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.LoginDriver.Client;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The token endpoint and revocation on a real Liberty and database: code exchange, refresh rotation with the
 * grace window, client authentication, client_credentials and the concurrency cases (TK-*, RT-*, CC-*,
 * CON-01, CON-02 of the security catalogue).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TokenEndpointIT {

    static final String ADMIN_TOKEN = "admin-token-for-token-tests-0123456789";

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.refresh-token.reuse-grace", "PT2S");
        config.put("bridge.admin-token", ADMIN_TOKEN);
        return TestDeployments.bridge(config);
    }

    Client client;

    @BeforeEach
    void setUp() {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        client = LoginDriver.register("none");
    }

    static Map<String, Object> ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        return Http.json(r);
    }

    static void error(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        Map<String, Object> json = Http.json(r);
        assertEquals(code, json.get("error"), r.body());
        Object description = json.get("error_description");
        if (description != null) {
            // TK-18: no CR, LF, TAB, quote or backslash; no secrets echoed
            assertTrue(((String) description).matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*"), r.body());
        }
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
    }

    private Map<String, Object> exchange(Client c, String scope) {
        return ok(token(codeExchange(c, LoginDriver.code(c, scope))));
    }

    private static Map<String, String> refresh(Client c, String refreshToken) {
        return LoginDriver.refreshForm(c, refreshToken);
    }

    /** TK-01. */
    @Test
    void tokenWhenCodeExchangedThenBoundJwtAccessTokenAndRefreshToken() throws Exception {
        Map<String, Object> t = exchange(client, "mcp:read");
        assertEquals("Bearer", t.get("token_type"));
        assertEquals(600L, ((Number) t.get("expires_in")).longValue());
        assertEquals("mcp:read", t.get("scope"));
        assertTrue(((String) t.get("refresh_token")).length() >= 43);
        SignedJWT at = SignedJWT.parse((String) t.get("access_token"));
        assertEquals("at+jwt", at.getHeader().getType().getType());
        JWKSet keys = JWKSet.parse(Http.get(LoginDriver.url("/.well-known/jwks.json")).body());
        assertTrue(at.verify(new RSASSAVerifier(keys.getKeyByKeyId(at.getHeader().getKeyID()).toRSAKey())));
        var claims = at.getJWTClaimsSet();
        assertEquals(TestDeployments.issuer(), claims.getIssuer());
        assertEquals(List.of(LoginDriver.url("/mcp")), claims.getAudience());
        assertEquals(KindeDemoData.ALICE_ID, claims.getSubject());
        assertEquals(client.clientId(), claims.getStringClaim("client_id"));
        assertEquals(KindeDemoData.ORG_ACME, claims.getStringClaim("org_code"));
        assertTrue(claims.getStringListClaim("permissions").contains("write:notes"));
        assertTrue(claims.getJWTID() != null && claims.getIssueTime() != null && claims.getExpirationTime() != null);
        assertEquals(null, claims.getClaim("gty"), "user tokens carry no gty");
        assertTrue(claims.getStringClaim("kinde_grant").startsWith("kg_"), "names the vault entry, not a Kinde token");
        assertFalse(t.toString().contains("kp_") && t.containsKey("id_token"), "no Kinde token is handed out");
    }

    /** TK-02, TK-03, TK-04. */
    @Test
    void tokenWhenMalformedRequestThenSpecErrors() {
        HttpResponse<String> get = Http.get(LoginDriver.url("/token"));
        assertEquals(405, get.statusCode());
        HttpResponse<String> json = Http.send(HttpRequest.newBuilder(URI.create(LoginDriver.url("/token")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"authorization_code\"}")),
                "Content-Type", "application/json");
        error(json, 400, "invalid_request");
        error(token(Map.of("client_id", client.clientId())), 400, "invalid_request");
        HttpResponse<String> duplicate = Http.send(HttpRequest.newBuilder(URI.create(LoginDriver.url("/token")))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&grant_type=refresh_token"
                        + "&client_id=" + client.clientId())), "Content-Type", "application/x-www-form-urlencoded");
        error(duplicate, 400, "invalid_request");
        for (String grant : List.of("password", "implicit", "urn:ietf:params:oauth:grant-type:device_code")) {
            error(token(Map.of("grant_type", grant, "client_id", client.clientId())), 400, "unsupported_grant_type");
        }
    }

    /** TK-05: a replayed code fails and revokes what the first exchange issued. */
    @Test
    void tokenWhenCodeReplayedThenInvalidGrantAndFirstRefreshTokenRevoked() {
        String code = LoginDriver.code(client, "mcp:read");
        Map<String, Object> first = ok(token(codeExchange(client, code)));
        error(token(codeExchange(client, code)), 400, "invalid_grant");
        error(token(refresh(client, (String) first.get("refresh_token"))), 400, "invalid_grant");
    }

    /** TK-06, TK-07, TK-10, TK-12, TK-09. */
    @Test
    void tokenWhenCodeBindingViolatedThenInvalidGrantOrTarget() {
        String code = LoginDriver.code(client, "mcp:read");
        Map<String, String> wrongVerifier = codeExchange(client, code);
        wrongVerifier.put("code_verifier", "x".repeat(43));
        error(token(wrongVerifier), 400, "invalid_grant");
        Map<String, String> noVerifier = codeExchange(client, code);
        noVerifier.remove("code_verifier");
        error(token(noVerifier), 400, "invalid_grant");
        Map<String, String> otherRedirect = codeExchange(client, code);
        otherRedirect.put("redirect_uri", "http://127.0.0.1:8765/other");
        error(token(otherRedirect), 400, "invalid_grant");
        Map<String, String> otherResource = codeExchange(client, code);
        otherResource.put("resource", "https://evil.example/mcp");
        error(token(otherResource), 400, "invalid_target");
        Client other = LoginDriver.register("none");
        error(token(codeExchange(other, code)), 400, "invalid_grant");
        ok(token(codeExchange(client, code)));
    }

    /** TK-13, TK-14, TK-15, TK-16: client authentication. */
    @Test
    void tokenWhenClientAuthenticationWrongThenInvalidClient() {
        Client confidential = LoginDriver.register("client_secret_basic");
        String code = LoginDriver.code(confidential, "mcp:read");
        Map<String, String> form = codeExchange(confidential, code);
        form.remove("client_id");
        HttpResponse<String> wrongBasic = token(form, "Authorization", LoginDriver.basic(confidential.clientId(), "wrong"));
        error(wrongBasic, 401, "invalid_client");
        assertTrue(wrongBasic.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        Map<String, String> none = codeExchange(confidential, code);
        error(token(none), 401, "invalid_client");
        Map<String, String> post = codeExchange(confidential, code);
        post.put("client_secret", "wrong");
        error(token(post), 401, "invalid_client");
        Map<String, String> both = codeExchange(confidential, code);
        both.put("client_secret", confidential.secret());
        error(token(both, "Authorization", LoginDriver.basic(confidential.clientId(), confidential.secret())), 400,
                "invalid_request");
        Map<String, String> publicWithSecret = codeExchange(client, LoginDriver.code(client, "mcp:read"));
        publicWithSecret.put("client_secret", "anything");
        error(token(publicWithSecret), 401, "invalid_client");
        Map<String, Object> t = ok(token(form, "Authorization",
                LoginDriver.basic(confidential.clientId(), confidential.secret())));
        assertTrue(t.containsKey("access_token"));
    }

    /** TK-17: guessing a client secret is throttled per source and client. */
    @Test
    void tokenWhenClientSecretGuessedRepeatedlyThenThrottled() {
        Client confidential = LoginDriver.register("client_secret_basic");
        Map<String, String> form = Map.of("grant_type", "refresh_token", "refresh_token", "x");
        for (int i = 0; i < 10; i++) {
            error(token(form, "Authorization", LoginDriver.basic(confidential.clientId(), "guess-" + i)), 401,
                    "invalid_client");
        }
        HttpResponse<String> throttled = token(form, "Authorization",
                LoginDriver.basic(confidential.clientId(), confidential.secret()));
        error(throttled, 429, "temporarily_unavailable");
        assertTrue(Integer.parseInt(throttled.headers().firstValue("Retry-After").orElse("0")) >= 1);
        Client other = LoginDriver.register("client_secret_basic");
        error(token(form, "Authorization", LoginDriver.basic(other.clientId(), other.secret())), 400, "invalid_grant");
    }

    /** RT-01, RT-02: rotation, the grace window, and reuse after it. */
    @Test
    void refreshWhenRotatedThenRetryInGraceGetsSamePairAndLaterReuseRevokesFamily() throws Exception {
        Map<String, Object> first = exchange(client, "mcp:read");
        String rt0 = (String) first.get("refresh_token");
        Map<String, Object> second = ok(token(refresh(client, rt0)));
        assertNotEquals(rt0, second.get("refresh_token"));
        Map<String, Object> retry = ok(token(refresh(client, rt0)));
        assertEquals(second.get("access_token"), retry.get("access_token"), "same successor pair in the window");
        assertEquals(second.get("refresh_token"), retry.get("refresh_token"));
        Thread.sleep(3000);
        error(token(refresh(client, rt0)), 400, "invalid_grant");
        error(token(refresh(client, (String) second.get("refresh_token"))), 400, "invalid_grant");
    }

    /** RT-02: reuse of a rotated token after its successor was used revokes the family, even in the window. */
    @Test
    void refreshWhenOldTokenReusedAfterSuccessorUsedThenFamilyRevoked() {
        String rt0 = (String) exchange(client, "mcp:read").get("refresh_token");
        String rt1 = (String) ok(token(refresh(client, rt0))).get("refresh_token");
        String rt2 = (String) ok(token(refresh(client, rt1))).get("refresh_token");
        error(token(refresh(client, rt0)), 400, "invalid_grant");
        error(token(refresh(client, rt2)), 400, "invalid_grant");
    }

    /** RT-03, RT-04, RT-07. */
    @Test
    void refreshWhenOtherClientWiderScopeOrOtherResourceThenRefused() throws Exception {
        String rt = (String) exchange(client, "mcp:read mcp:write").get("refresh_token");
        Client other = LoginDriver.register("none");
        error(token(refresh(other, rt)), 400, "invalid_grant");
        Map<String, String> wider = refresh(client, rt);
        wider.put("scope", "mcp:read mcp:admin");
        error(token(wider), 400, "invalid_scope");
        Map<String, String> foreign = refresh(client, rt);
        foreign.put("resource", "https://evil.example/mcp");
        error(token(foreign), 400, "invalid_target");
        Map<String, String> narrower = refresh(client, rt);
        narrower.put("scope", "mcp:read");
        Map<String, Object> narrowed = ok(token(narrower));
        assertEquals("mcp:read", SignedJWT.parse((String) narrowed.get("access_token")).getJWTClaimsSet()
                .getStringClaim("scope"));
        Map<String, Object> again = ok(token(refresh(client, (String) narrowed.get("refresh_token"))));
        assertEquals("mcp:read mcp:write", again.get("scope"), "the new refresh token keeps the original scope");
    }

    /** TK-19: revocation. */
    @Test
    void revokeWhenRefreshTokenRevokedThenFamilyEndsAndUnknownOrForeignTokensAre200() {
        String rt = (String) exchange(client, "mcp:read").get("refresh_token");
        Client other = LoginDriver.register("none");
        assertEquals(200, LoginDriver.post("/revoke", Map.of("token", rt, "client_id", other.clientId())).statusCode());
        ok(token(refresh(client, rt)));
        String rt2 = (String) exchange(client, "mcp:read").get("refresh_token");
        assertEquals(200, LoginDriver.post("/revoke", Map.of("token", rt2, "client_id", client.clientId(),
                "token_type_hint", "refresh_token")).statusCode());
        error(token(refresh(client, rt2)), 400, "invalid_grant");
        assertEquals(200, LoginDriver.post("/revoke", Map.of("token", "unknown", "client_id", client.clientId()))
                .statusCode());
    }

    /**
     * TK-20: introspection needs an authenticated client, and answers only the token's own client and a
     * resource-server credential; anybody else, including a client anybody can register, learns nothing.
     */
    @Test
    void introspectWhenCallerAuthenticatedThenActiveOnlyForOwnClientOrResourceServer() {
        Map<String, Object> t = exchange(client, "mcp:read");
        String at = (String) t.get("access_token");
        error(LoginDriver.post("/introspect", Map.of("token", at, "client_id", client.clientId())), 401,
                "invalid_client");
        String resourceServer = AdminApi.basic(AdminApi.provision(
                "{\"client_name\":\"notes API\",\"resource_server\":true}", ADMIN_TOKEN));
        Map<String, Object> active = ok(LoginDriver.post("/introspect", Map.of("token", at), "Authorization",
                resourceServer));
        assertEquals(Boolean.TRUE, active.get("active"));
        assertEquals(client.clientId(), active.get("client_id"));
        assertEquals(KindeDemoData.ALICE_ID, active.get("sub"));

        String machine = AdminApi.basic(AdminApi.provision("{\"grant_types\":[\"client_credentials\"]}", ADMIN_TOKEN));
        Client stranger = LoginDriver.register("client_secret_basic");
        String strangerBasic = LoginDriver.basic(stranger.clientId(), stranger.secret());
        for (String other : List.of(machine, strangerBasic)) {
            assertEquals(Map.of("active", false), ok(LoginDriver.post("/introspect", Map.of("token", at),
                    "Authorization", other)), "another client's access token");
        }
        Map<String, Object> own = ok(LoginDriver.token(codeExchange(stranger, LoginDriver.code(stranger, "mcp:read")),
                "Authorization", strangerBasic));
        Map<String, Object> ownAnswer = ok(LoginDriver.post("/introspect",
                Map.of("token", (String) own.get("access_token")), "Authorization", strangerBasic));
        assertEquals(Boolean.TRUE, ownAnswer.get("active"));
        assertEquals(stranger.clientId(), ownAnswer.get("client_id"));

        Map<String, Object> foreignRefresh = ok(LoginDriver.post("/introspect",
                Map.of("token", (String) t.get("refresh_token")), "Authorization", resourceServer));
        assertEquals(Map.of("active", false), foreignRefresh, "another client's refresh token");
        assertEquals(Map.of("active", false), ok(LoginDriver.post("/introspect", Map.of("token", "garbage"),
                "Authorization", resourceServer)));
        String tampered = at.substring(0, at.length() - 4) + (at.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertEquals(Map.of("active", false), ok(LoginDriver.post("/introspect", Map.of("token", tampered),
                "Authorization", resourceServer)));

        // a resource-server credential without grant types can introspect and nothing else
        HttpResponse<String> grant = LoginDriver.token(Map.of("grant_type", "client_credentials"), "Authorization",
                resourceServer);
        assertEquals(400, grant.statusCode(), grant.body());
        assertEquals("unauthorized_client", Http.json(grant).get("error"));
    }

    /** CC-01, CC-02, CC-03. */
    @Test
    void clientCredentialsWhenProvisionedThenMachineTokenOtherwiseUnauthorized() throws Exception {
        error(token(Map.of("grant_type", "client_credentials", "client_id", client.clientId())), 400,
                "unauthorized_client");
        Map<String, Object> svc = Http.json(AdminApi.create("{\"grant_types\":[\"client_credentials\"]}", ADMIN_TOKEN));
        String basic = AdminApi.basic(svc);
        Map<String, Object> t = ok(token(Map.of("grant_type", "client_credentials", "scope", "mcp:read"),
                "Authorization", basic));
        assertFalse(t.containsKey("refresh_token"));
        var claims = SignedJWT.parse((String) t.get("access_token")).getJWTClaimsSet();
        assertEquals("client:" + svc.get("client_id"), claims.getSubject());
        assertEquals(List.of("client_credentials"), claims.getStringListClaim("gty"));
        error(token(Map.of("grant_type", "client_credentials", "scope", "mcp:admin"), "Authorization", basic), 400,
                "invalid_scope");
        error(token(Map.of("grant_type", "client_credentials", "resource", "https://evil.example/mcp"),
                "Authorization", basic), 400, "invalid_target");
    }

    /** CC-04: agents with their own Kinde M2M credentials. */
    @Test
    void clientCredentialsWhenKindeMachineCredentialsThenMachineTokenWithKindeOrg() throws Exception {
        String basic = LoginDriver.basic(TestKinde.AGENT_ID, TestKinde.AGENT_SECRET);
        Map<String, Object> t = ok(token(Map.of("grant_type", "client_credentials"), "Authorization", basic));
        assertFalse(t.containsKey("refresh_token"));
        var claims = SignedJWT.parse((String) t.get("access_token")).getJWTClaimsSet();
        assertEquals("kinde-m2m:" + TestKinde.AGENT_ID, claims.getSubject());
        assertEquals(List.of("client_credentials"), claims.getStringListClaim("gty"));
        assertEquals(KindeDemoData.ORG_ACME, claims.getStringClaim("org_code"));
        HttpResponse<String> wrong = token(Map.of("grant_type", "client_credentials"), "Authorization",
                LoginDriver.basic(TestKinde.AGENT_ID, "wrong-secret"));
        error(wrong, 401, "invalid_client");
        TestKinde.get().failAlways(dev.kindemcp.bridge.kinde.fake.FakeKinde.TOKEN_PATH, 503);
        try {
            HttpResponse<String> down = token(Map.of("grant_type", "client_credentials"), "Authorization", basic);
            error(down, 503, "temporarily_unavailable");
            assertTrue(down.headers().firstValue("Retry-After").isPresent());
        } finally {
            TestKinde.get().clearFaults();
        }
    }

    /** CC-05: token exchange of a Kinde M2M access token. */
    @Test
    void tokenExchangeWhenKindeMachineTokenThenBridgeTokenOtherwiseInvalidRequest() throws Exception {
        var kinde = TestKinde.get();
        String m2m = kinde.sign(kinde.m2mAccessTokenClaims(TestKinde.AGENT_ID, "https://api.example.test"));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        form.put("subject_token", m2m);
        form.put("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
        Map<String, Object> t = ok(token(form));
        assertEquals("urn:ietf:params:oauth:token-type:access_token", t.get("issued_token_type"));
        assertEquals(List.of("client_credentials"),
                SignedJWT.parse((String) t.get("access_token")).getJWTClaimsSet().getStringListClaim("gty"));
        String userToken = kinde.issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME,
                "https://api.example.test");
        String bridgeToken = (String) t.get("access_token");
        String otherAudience = kinde.sign(kinde.m2mAccessTokenClaims(TestKinde.AGENT_ID, "https://other.api"));
        for (String bad : List.of(userToken, bridgeToken, otherAudience)) {
            form.put("subject_token", bad);
            error(token(form), 400, "invalid_request");
        }
        form.put("subject_token", m2m);
        form.put("resource", "https://evil.example/mcp");
        error(token(form), 400, "invalid_target");
    }

    /** CON-01: one code, 20 parallel exchanges. */
    @Test
    void tokenWhenSameCodeExchangedTwentyTimesAtOnceThenExactlyOneSucceedsAndItsTokensAreRevoked() throws Exception {
        String code = LoginDriver.code(client, "mcp:read");
        List<HttpResponse<String>> results = Parallel.run(20, () -> token(codeExchange(client, code)));
        List<HttpResponse<String>> wins = results.stream().filter(r -> r.statusCode() == 200).toList();
        assertEquals(1, wins.size(), results.stream().map(HttpResponse::statusCode).toList().toString());
        results.stream().filter(r -> r.statusCode() != 200).forEach(r -> error(r, 400, "invalid_grant"));
        error(token(refresh(client, (String) Http.json(wins.get(0)).get("refresh_token"))), 400, "invalid_grant");
    }

    /** CON-02: one refresh token, 20 parallel refreshes inside the grace window. */
    @Test
    void refreshWhenSameTokenUsedTwentyTimesAtOnceThenOneSuccessorPairAndItWorks() throws Exception {
        String rt = (String) exchange(client, "mcp:read").get("refresh_token");
        List<HttpResponse<String>> results = Parallel.run(20, () -> token(refresh(client, rt)));
        Set<String> successors = new HashSet<>();
        for (HttpResponse<String> r : results) {
            if (r.statusCode() == 200) {
                successors.add((String) Http.json(r).get("refresh_token"));
            } else {
                error(r, 400, "invalid_grant");
            }
        }
        assertEquals(1, successors.size(), "exactly one successor in the family");
        ok(token(refresh(client, successors.iterator().next())));
    }

}
