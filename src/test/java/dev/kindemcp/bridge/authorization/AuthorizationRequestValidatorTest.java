package dev.kindemcp.bridge.authorization;

import dev.kindemcp.bridge.oauth.RequestParameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.oauth.AuthorizationException;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.registration.KnownClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The authorization request checks and where their errors go (AZ-01..AZ-18 of the security catalogue). */
class AuthorizationRequestValidatorTest {

    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    static final String RESOURCE = "https://mcp.example.com/mcp";

    static final KnownClient WEB = client("dcr_web", List.of("https://c.example/cb"));
    static final KnownClient LOOPBACK = client("dcr_cli", List.of("http://127.0.0.1/cb", "http://localhost/cb",
            "http://[::1]/cb"));
    static final KnownClient TWO = client("dcr_two", List.of("https://c.example/a", "https://c.example/b"));
    static final KnownClient MACHINE = new KnownClient("svc_m", KnownClient.Origin.PROVISIONED, Optional.empty(),
            List.of("https://m.example/cb"), Set.of("client_credentials"), List.of("mcp:read", "mcp:write"),
            "client_secret_basic", Optional.of("h"), Optional.empty(), Optional.empty());
    static final KnownClient READER = new KnownClient("svc_r", KnownClient.Origin.PROVISIONED, Optional.empty(),
            List.of("https://r.example/cb"), Set.of("authorization_code"), List.of("mcp:read"),
            "client_secret_basic", Optional.of("h"), Optional.empty(), Optional.empty());
    static final KnownClient WRITER = new KnownClient("svc_w", KnownClient.Origin.PROVISIONED, Optional.empty(),
            List.of("https://w.example/cb"), Set.of("authorization_code"), List.of("mcp:write"),
            "client_secret_basic", Optional.of("h"), Optional.empty(), Optional.empty());

    static KnownClient client(String id, List<String> uris) {
        return new KnownClient(id, KnownClient.Origin.DCR, Optional.of("Test"), uris,
                Set.of("authorization_code", "refresh_token"), List.of("mcp:read", "mcp:write"), "none",
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private final AuthorizationRequestValidator validator = new AuthorizationRequestValidator(id -> {
        if (id.startsWith("https://")) {
            throw new OAuthException(OAuth2Error.INVALID_CLIENT, "document unavailable");
        }
        return List.of(WEB, LOOPBACK, TWO, MACHINE, READER, WRITER).stream().filter(c -> c.clientId().equals(id)).findFirst();
    }, List.of("mcp:read", "mcp:write"), List.of("mcp:read"), RESOURCE);

    static Map<String, String> valid() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", "dcr_web");
        p.put("redirect_uri", "https://c.example/cb");
        p.put("code_challenge", CHALLENGE);
        p.put("code_challenge_method", "S256");
        p.put("state", "s-1");
        p.put("scope", "mcp:read");
        p.put("resource", RESOURCE);
        return p;
    }

    static String query(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private ValidatedAuthorization validate(Map<String, String> params) {
        return validator.validate(RequestParameters.parse(query(params)));
    }

    private ValidatedAuthorization validate(String rawQuery) {
        return validator.validate(RequestParameters.parse(rawQuery));
    }

    private AuthorizationException page(Map<String, String> params) {
        AuthorizationException e = assertThrows(AuthorizationException.class, () -> validate(params));
        assertTrue(e.redirect().isEmpty(), "must not redirect: " + e.getMessage());
        return e;
    }

    private AuthorizationException redirected(Map<String, String> params, String error) {
        AuthorizationException e = assertThrows(AuthorizationException.class, () -> validate(params));
        assertTrue(e.redirect().isPresent(), "must redirect: " + e.getMessage());
        assertEquals(error, e.error().getCode());
        return e;
    }

    @Test
    void validateWhenEverythingRightThenBound() {
        ValidatedAuthorization v = validate(valid());
        assertEquals("dcr_web", v.client().clientId());
        assertEquals("https://c.example/cb", v.redirect().redirectUri());
        assertEquals(Optional.of("s-1"), v.redirect().state());
        assertEquals(CHALLENGE, v.codeChallenge());
        assertEquals("mcp:read", v.scope());
        assertEquals(RESOURCE, v.resource());
    }

    /** AZ-01. */
    @ParameterizedTest
    @ValueSource(strings = {"", "nobody", "https://client.example/metadata.json"})
    void validateWhenClientUnknownOrMissingThenPage(String clientId) {
        Map<String, String> p = valid();
        if (clientId.isEmpty()) {
            p.remove("client_id");
        } else {
            p.put("client_id", clientId);
        }
        page(p);
    }

    /** AZ-02. */
    @Test
    void validateWhenDuplicateClientOrRedirectThenPage() {
        String base = query(valid());
        assertThrows(AuthorizationException.class, () -> validate(base + "&client_id=dcr_two"));
        AuthorizationException e = assertThrows(AuthorizationException.class,
                () -> validate(base + "&redirect_uri=https%3A%2F%2Fc.example%2Fcb"));
        assertTrue(e.redirect().isEmpty());
    }

    /** AZ-03, AZ-04, AZ-05, AZ-07. */
    @ParameterizedTest
    @ValueSource(strings = {"https://c.example/other", "https://c.example/cb?x=1", "https://c.example/cb/",
        "https://c.example:444/cb", "HTTPS://C.example/cb", "https://c.example/CB", "https://c.example/cb/../x",
        "https://c.example/cb/%2e%2e/x", "https://c.example/cb..;/x", "https://c.example%25@evil.example/cb"})
    void validateWhenRedirectNotRegisteredThenPage(String uri) {
        Map<String, String> p = valid();
        p.put("redirect_uri", uri);
        page(p);
    }

    /** AZ-06, AZ-07, AZ-08. */
    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:51004/cb", "http://localhost:8080/cb", "http://[::1]:61023/cb"})
    void validateWhenLoopbackOnAnyPortThenAcceptedWithThatPort(String uri) {
        Map<String, String> p = valid();
        p.put("client_id", "dcr_cli");
        p.put("redirect_uri", uri);
        assertEquals(uri, validate(p).redirect().redirectUri());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:51004/other", "http://127.0.0.2:51004/cb",
        "http://127.0.0.1.evil.example:51004/cb", "https://127.0.0.1:51004/cb", "http://localhosts:8080/cb",
        "http://localhost:8080@evil.example/cb"})
    void validateWhenLoopbackVariantNotRegisteredThenPage(String uri) {
        Map<String, String> p = valid();
        p.put("client_id", "dcr_cli");
        p.put("redirect_uri", uri);
        page(p);
    }

    /** AZ-09. */
    @Test
    void validateWhenRedirectOmittedThenOnlyForSingleRegisteredUri() {
        Map<String, String> p = valid();
        p.remove("redirect_uri");
        assertEquals("https://c.example/cb", validate(p).redirect().redirectUri());
        p.put("client_id", "dcr_two");
        page(p);
    }

    /** AZ-10. */
    @Test
    void validateWhenResponseTypeMissingOrWrongThenRedirectedError() {
        Map<String, String> p = valid();
        p.remove("response_type");
        redirected(p, "invalid_request");
        for (String type : List.of("token", "code id_token")) {
            p.put("response_type", type);
            redirected(p, "unsupported_response_type");
        }
    }

    /** AZ-11, AZ-12, AZ-13. */
    @Test
    void validateWhenPkceMissingPlainOrMalformedThenInvalidRequest() {
        Map<String, String> p = valid();
        p.remove("code_challenge");
        redirected(p, "invalid_request");
        for (String method : List.of("plain", "S512")) {
            p = valid();
            p.put("code_challenge_method", method);
            redirected(p, "invalid_request");
        }
        p = valid();
        p.remove("code_challenge_method");
        redirected(p, "invalid_request");
        for (String challenge : List.of(CHALLENGE.substring(1), CHALLENGE + "x".repeat(86),
                CHALLENGE.substring(0, 42) + "+", CHALLENGE.substring(0, 42) + "=")) {
            p = valid();
            p.put("code_challenge", challenge);
            redirected(p, "invalid_request");
        }
    }

    /** AZ-14. */
    @Test
    void validateWhenStateLongOrSpecialThenKeptByteExact() {
        Map<String, String> p = valid();
        String state = "a&b#c\"><script>" + "x".repeat(2048);
        p.put("state", state);
        assertEquals(Optional.of(state), validate(p).redirect().state());
    }

    /** AZ-15 with the quirk policy: unknown scopes dropped, control characters refused. */
    @Test
    void validateWhenScopesUnknownThenDroppedAndControlCharactersRefused() {
        Map<String, String> p = valid();
        p.put("scope", " offline_access  mcp:write openid ");
        assertEquals(List.of("mcp:write"), validate(p).scopes());
        p.put("scope", "claudeai");
        assertEquals(List.of("mcp:read"), validate(p).scopes());
        p.put("scope", "mcp:read\r\nX-Injected: 1");
        redirected(p, "invalid_scope");
    }

    /** AZ-15, CC-03: a scope the server supports but the client may not be granted is refused, not dropped. */
    @Test
    void validateWhenScopeBeyondClientThenInvalidScopeElseClientDefaults() {
        Map<String, String> p = valid();
        p.put("client_id", "svc_r");
        p.put("redirect_uri", "https://r.example/cb");
        p.put("scope", "mcp:read mcp:write");
        redirected(p, "invalid_scope");
        p.put("scope", "openid");
        assertEquals(List.of("mcp:read"), validate(p).scopes());
        p.put("client_id", "svc_w");
        p.put("redirect_uri", "https://w.example/cb");
        p.put("scope", "mcp:read");
        redirected(p, "invalid_scope");
        p.remove("scope");
        assertEquals(List.of("mcp:write"), validate(p).scopes());
    }

    /** AZ-16, AZ-17, AZ-18 and the resource spellings of real clients. */
    @Test
    void validateWhenResourceForeignOrDoubleThenInvalidTargetElseCanonical() {
        for (String foreign : List.of("https://evil.example/mcp", "/mcp", "https://mcp.example.com/mcp#f",
                "https://mcp.example.com/other")) {
            Map<String, String> p = valid();
            p.put("resource", foreign);
            redirected(p, "invalid_target");
        }
        AuthorizationException two = assertThrows(AuthorizationException.class,
                () -> validate(query(valid()) + "&resource=" + URLEncoder.encode(RESOURCE, StandardCharsets.UTF_8)));
        assertEquals("invalid_target", two.error().getCode());
        for (String spelling : List.of("HTTPS://MCP.example.com/mcp", "https://mcp.example.com:443/mcp",
                "https://mcp.example.com/mcp/")) {
            Map<String, String> p = valid();
            p.put("resource", spelling);
            assertEquals(RESOURCE, validate(p).resource());
        }
        Map<String, String> p = valid();
        p.remove("resource");
        assertEquals(RESOURCE, validate(p).resource());
    }

    @Test
    void validateWhenClientHasNoCodeGrantThenUnauthorizedClient() {
        Map<String, String> p = valid();
        p.put("client_id", "svc_m");
        p.put("redirect_uri", "https://m.example/cb");
        redirected(p, "unauthorized_client");
    }

    @Test
    void validateWhenPassthroughParametersThenOnlyAllowlistedWellFormedKept() {
        Map<String, String> p = valid();
        p.put("org_code", "org_acme");
        p.put("prompt", "login");
        p.put("login_hint", "alice@example.com");
        p.put("connection_id", "conn_1 bad");
        p.put("audience", "https://elsewhere.example");
        Map<String, String> kept = validate(p).passthrough();
        assertEquals(Map.of("org_code", "org_acme", "prompt", "login", "login_hint", "alice@example.com"), kept);
        assertFalse(kept.containsKey("audience"));
    }
}
