package dev.kindemcp.bridge.authorization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.BrowserSession;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.Parallel;
import dev.kindemcp.bridge.testsupport.ServerLog;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The authorization flow on a real Liberty with the Kinde-compatible provider as upstream: consent before any
 * redirect to Kinde, CSRF and cookie binding, the Kinde leg and its faults, and the code returned to the
 * client (AZ-*, CS-*, UP-* of the security catalogue).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthorizationFlowIT {

    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    static final String REDIRECT = "http://127.0.0.1/callback";

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        return TestDeployments.bridge(config);
    }

    FakeKinde kinde;
    BrowserSession browser;
    String clientId;

    static String bridge(String path) {
        return TestDeployments.issuer() + path;
    }

    static String register(String name, String redirect) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(bridge("/register")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"client_name\":\"" + name + "\",\"redirect_uris\":[\""
                        + redirect + "\"],\"token_endpoint_auth_method\":\"none\",\"grant_types\":"
                        + "[\"authorization_code\",\"refresh_token\"]}")), "Content-Type", "application/json");
        assertEquals(201, r.statusCode(), r.body());
        return (String) Http.json(r).get("client_id");
    }

    static String authorizeUrl(String clientId, String redirect, String extra) {
        return bridge("/authorize?response_type=code&client_id=" + enc(clientId) + "&redirect_uri=" + enc(redirect)
                + "&code_challenge=" + CHALLENGE + "&code_challenge_method=S256&state=xyz%26%22s&scope=mcp%3Aread"
                + "&resource=" + enc(bridge("/mcp")) + extra);
    }

    static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    @BeforeEach
    void setUp() {
        kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        browser = new BrowserSession();
        clientId = register("Flow test client", REDIRECT);
    }

    /** GET /authorize on a fresh browser: the consent page. */
    private HttpResponse<String> consentPage(String url) {
        HttpResponse<String> page = browser.get(url);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("name=\"csrf_token\""), page.body());
        return page;
    }

    private HttpResponse<String> decide(HttpResponse<String> page, String decision, String... headers) {
        Map<String, String> form = new java.util.LinkedHashMap<>(BrowserSession.formFields(page.body()));
        form.put("decision", decision);
        String[] all = headers.length > 0 ? headers : new String[] {"Origin", TestDeployments.issuer()};
        return browser.postForm(bridge("/authorize/consent"), form, all);
    }

    /** Follows Kinde (auto login) and the bridge callback; returns the final redirect to the client. */
    private String followKinde(HttpResponse<String> toKinde) {
        String kindeUrl = toKinde.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> atKinde = browser.get(kindeUrl);
        assertEquals(302, atKinde.statusCode(), atKinde.body());
        HttpResponse<String> callback = browser.get(atKinde.headers().firstValue("Location").orElseThrow());
        assertEquals(302, callback.statusCode(), callback.body());
        return callback.headers().firstValue("Location").orElseThrow();
    }

    /** AZ-19, CS-01, CS-06, CS-10, UP-03: the whole browser leg. */
    @Test
    void authorizeWhenApprovedAndKindeLoginThenCodeStateAndIssReturned() {
        ServerLog log = ServerLog.mark();
        HttpResponse<String> page = consentPage(authorizeUrl(clientId, "http://127.0.0.1:51004/callback", ""));
        assertEquals(0, kinde.requestCount(FakeKinde.AUTHORIZATION_PATH), "nothing goes to Kinde before consent");
        assertTrue(page.body().contains("Flow test client"));
        assertTrue(page.body().contains("127.0.0.1:51004"), "the redirect host is shown");
        assertTrue(page.body().contains("Check this is your own program"), "localhost-only warning");
        Map<String, List<String>> h = page.headers().map();
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(null));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'none'"), csp);
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(null));
        assertTrue(page.headers().firstValue("Cache-Control").orElse("").startsWith("no-store"));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertFalse(page.body().contains("<script"));
        String browserCookie = h.get("set-cookie").stream().filter(c -> c.startsWith("__Host-kmb-browser=")).findFirst()
                .orElseThrow();
        for (String attribute : List.of("Path=/", "Secure", "HttpOnly", "SameSite=Lax")) {
            assertTrue(browserCookie.contains(attribute), browserCookie);
        }
        assertFalse(browserCookie.toLowerCase().contains("domain="));

        HttpResponse<String> approved = decide(page, "approve");
        assertEquals(303, approved.statusCode(), approved.body());
        String kindeUrl = approved.headers().firstValue("Location").orElseThrow();
        assertTrue(kindeUrl.startsWith(kinde.issuer() + FakeKinde.AUTHORIZATION_PATH + "?"), kindeUrl);
        Map<String, String> up = BrowserSession.query(kindeUrl);
        assertEquals(TestKinde.CLIENT_ID, up.get("client_id"));
        assertEquals(bridge("/kinde/callback"), up.get("redirect_uri"));
        assertEquals("openid profile email offline", up.get("scope"));
        assertEquals("S256", up.get("code_challenge_method"));
        assertEquals("https://api.example.test", up.get("audience"));
        assertTrue(up.get("state").length() >= 22 && up.get("nonce").length() >= 22);
        assertTrue(approved.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("__Host-kmb-flow-")),
                "the flow cookie is set with the redirect to Kinde");

        String back = followKinde(approved);
        assertTrue(back.startsWith("http://127.0.0.1:51004/callback?"), back);
        Map<String, String> response = BrowserSession.query(back);
        assertEquals(List.of("code", "state", "iss"), List.copyOf(response.keySet()));
        assertEquals("xyz&\"s", response.get("state"));
        assertEquals(TestDeployments.issuer(), response.get("iss"));
        assertTrue(response.get("code").length() >= 43);
        assertEquals(1, kinde.requestCount(FakeKinde.TOKEN_PATH), "one code exchange at Kinde");
        // UP-14, OPS-02: no token, code or JWT of the flow reaches the server log
        String logged = log.sinceMark();
        assertFalse(logged.contains("eyJ"), "a JWT in the log");
        assertFalse(logged.contains(response.get("code")), "the code in the log");
        assertFalse(logged.contains(up.get("state")), "the upstream state in the log");
    }

    /** CS-02: approval is per browser and client. */
    @Test
    void authorizeWhenApprovedBeforeThenStraightToKindeButOtherClientAsksAgain() {
        followKinde(decide(consentPage(authorizeUrl(clientId, REDIRECT, "")), "approve"));
        HttpResponse<String> again = browser.get(authorizeUrl(clientId, REDIRECT, ""));
        assertEquals(302, again.statusCode(), again.body());
        assertTrue(again.headers().firstValue("Location").orElseThrow().startsWith(kinde.issuer()));
        assertTrue(followKinde(again).contains("code="));
        String other = register("Other client", REDIRECT);
        consentPage(authorizeUrl(other, REDIRECT, ""));
    }

    /** CS-09: more scope than approved shows the consent page again, listing it. */
    @Test
    void authorizeWhenMoreScopeThanApprovedThenConsentAgain() {
        followKinde(decide(consentPage(authorizeUrl(clientId, REDIRECT, "")), "approve"));
        HttpResponse<String> page = consentPage(authorizeUrl(clientId, REDIRECT, "").replace("scope=mcp%3Aread",
                "scope=mcp%3Aread%20mcp%3Awrite"));
        assertTrue(page.body().contains("mcp:write"));
    }

    /**
     * CS-05, R-RU-6: a denial goes back to the registered URI only, and only by a link on a page while this
     * browser never approved the client (RFC 9700 §4.11.2); once it has, by a 303.
     */
    @Test
    void consentWhenDeniedThenPageForUnapprovedClientAndRedirectOnceApproved() {
        HttpResponse<String> page = decide(consentPage(authorizeUrl(clientId, REDIRECT, "")), "deny");
        assertEquals(403, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Location").isEmpty());
        assertTrue(page.body().contains("127.0.0.1"), page.body());
        assertRedirectError(returnLink(page), "access_denied");

        assertEquals(303, decide(consentPage(authorizeUrl(clientId, REDIRECT, "")), "approve").statusCode());
        HttpResponse<String> denied = decide(consentPage(authorizeUrl(clientId, REDIRECT, "").replace(
                "scope=mcp%3Aread", "scope=mcp%3Awrite")), "deny");
        assertEquals(303, denied.statusCode());
        assertRedirectError(denied.headers().firstValue("Location").orElseThrow(), "access_denied");
        assertEquals(0, kinde.requestCount(FakeKinde.AUTHORIZATION_PATH));
    }

    /** The href of the "Return to the application" link of an error page. */
    static String returnLink(HttpResponse<String> page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("href=\"([^\"]+)\">Return to the application")
                .matcher(page.body());
        assertTrue(m.find(), page.body());
        return m.group(1).replace("&#61;", "=").replace("&amp;", "&");
    }

    /** An error at the registered redirect URI with the request's state and the issuer. */
    static void assertRedirectError(String location, String error) {
        assertTrue(location.startsWith(REDIRECT + "?"), location);
        Map<String, String> q = BrowserSession.query(location);
        assertEquals(error, q.get("error"), location);
        assertEquals("xyz&\"s", q.get("state"));
        assertEquals(TestDeployments.issuer(), q.get("iss"));
    }

    /** CS-03, CS-04, CS-07, CON-04 in sequence. */
    @Test
    void consentWhenForgedReplayedOrCrossSiteThenForbidden() {
        HttpResponse<String> page = consentPage(authorizeUrl(clientId, REDIRECT, ""));
        Map<String, String> form = new java.util.LinkedHashMap<>(BrowserSession.formFields(page.body()));
        form.put("decision", "approve");

        Map<String, String> forged = new java.util.LinkedHashMap<>(form);
        forged.put("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertEquals(403, browser.postForm(bridge("/authorize/consent"), forged, "Origin", TestDeployments.issuer())
                .statusCode());
        assertEquals(403, browser.postForm(bridge("/authorize/consent"), form, "Origin", "https://evil.example")
                .statusCode());
        assertEquals(403, browser.postForm(bridge("/authorize/consent"), form, "Sec-Fetch-Site", "cross-site",
                "Origin", "null").statusCode());
        assertEquals(403, browser.postForm(bridge("/authorize/consent"), form, "Origin", "null").statusCode());
        BrowserSession otherBrowser = new BrowserSession();
        consentPageIn(otherBrowser);
        assertEquals(403, otherBrowser.postForm(bridge("/authorize/consent"), form, "Origin", TestDeployments.issuer())
                .statusCode(), "a token of another browser session");
        assertEquals(405, browser.get(bridge("/authorize/consent")).statusCode());

        HttpResponse<String> second = consentPage(authorizeUrl(clientId, REDIRECT, ""));
        assertEquals(303, browser.postForm(bridge("/authorize/consent"), form, "Origin", TestDeployments.issuer())
                .statusCode(), "the first page's token still works once");
        assertEquals(403, browser.postForm(bridge("/authorize/consent"), form, "Origin", TestDeployments.issuer())
                .statusCode(), "and only once");
        assertNotEquals(BrowserSession.formFields(second.body()).get("csrf_token"), form.get("csrf_token"));
        assertEquals(0, kinde.requestCount(FakeKinde.TOKEN_PATH));
    }

    private void consentPageIn(BrowserSession other) {
        assertEquals(200, other.get(authorizeUrl(clientId, REDIRECT, "")).statusCode());
    }

    /** CS-08: a forged browser cookie is a new browser. */
    @Test
    void authorizeWhenBrowserCookieForgedThenConsentShownAgain() {
        followKinde(decide(consentPage(authorizeUrl(clientId, REDIRECT, "")), "approve"));
        browser.setCookie(TestDeployments.issuer(), "__Host-kmb-browser", "forgedforgedforgedforgedforged123");
        consentPage(authorizeUrl(clientId, REDIRECT, ""));
    }

    /** UP-01: a callback without the flow cookie of the approving browser. */
    @Test
    void callbackWhenFlowCookieMissingThen403AndNoExchange() {
        HttpResponse<String> approved = decide(consentPage(authorizeUrl(clientId, REDIRECT, "")), "approve");
        HttpResponse<String> atKinde = browser.get(approved.headers().firstValue("Location").orElseThrow());
        String callback = atKinde.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> stranger = new BrowserSession().get(callback);
        assertEquals(403, stranger.statusCode());
        assertTrue(stranger.headers().firstValue("Location").isEmpty());
        assertEquals(0, kinde.requestCount(FakeKinde.TOKEN_PATH));
        assertEquals(302, browser.get(callback).statusCode(), "the right browser still completes");
    }

    /** UP-02: missing, unknown and used state. */
    @Test
    void callbackWhenStateMissingUnknownOrUsedThen400Page() {
        assertEquals(400, browser.get(bridge("/kinde/callback?code=x")).statusCode());
        assertEquals(400, browser.get(bridge("/kinde/callback?code=x&state=unknown-state-value")).statusCode());
        HttpResponse<String> approved = decide(consentPage(authorizeUrl(clientId, REDIRECT, "")), "approve");
        HttpResponse<String> atKinde = browser.get(approved.headers().firstValue("Location").orElseThrow());
        String callback = atKinde.headers().firstValue("Location").orElseThrow();
        String flow = browser.cookies(TestDeployments.issuer()).entrySet().stream()
                .filter(e -> e.getKey().startsWith("__Host-kmb-flow-")).findFirst().orElseThrow().toString();
        assertEquals(302, browser.get(callback).statusCode());
        String[] cookie = flow.split("=", 2);
        browser.setCookie(TestDeployments.issuer(), cookie[0], cookie[1]);
        assertEquals(400, browser.get(callback).statusCode(), "a used state never works twice");
        assertEquals(1, kinde.requestCount(FakeKinde.TOKEN_PATH));
    }

    private String stateAtKinde(HttpResponse<String> approved) {
        return BrowserSession.query(approved.headers().firstValue("Location").orElseThrow()).get("state");
    }

    /** UP-04. */
    @Test
    void callbackWhenKindeDeniesThenAccessDeniedToClient() {
        HttpResponse<String> approved = decide(consentPage(authorizeUrl(clientId, REDIRECT, "")), "approve");
        HttpResponse<String> back = browser.get(bridge("/kinde/callback?error=access_denied&state="
                + enc(stateAtKinde(approved))));
        assertEquals(302, back.statusCode());
        Map<String, String> q = BrowserSession.query(back.headers().firstValue("Location").orElseThrow());
        assertEquals("access_denied", q.get("error"));
        assertEquals("xyz&\"s", q.get("state"));
        assertEquals(TestDeployments.issuer(), q.get("iss"));
    }

    /** UP-05, UP-06, UP-07: Kinde's token endpoint fails, hangs or answers garbage. */
    @Test
    void callbackWhenKindeTokenEndpointFailsThenTemporarilyUnavailableOrServerError() {
        kinde.failNext(FakeKinde.TOKEN_PATH, 503);
        assertEquals("temporarily_unavailable", errorAfterLogin());
        kinde.delayNext(FakeKinde.TOKEN_PATH, Duration.ofSeconds(5));
        assertEquals("temporarily_unavailable", errorAfterLogin());
        kinde.malformNext(FakeKinde.TOKEN_PATH);
        assertEquals("server_error", errorAfterLogin());
    }

    private String errorAfterLogin() {
        String location = followKinde(decide(consentPage(authorizeUrl(clientId, REDIRECT, "")), "approve"));
        browser = new BrowserSession();
        Map<String, String> q = BrowserSession.query(location);
        assertFalse(q.containsKey("code"), location);
        assertEquals(TestDeployments.issuer(), q.get("iss"));
        return q.get("error");
    }

    /** UP-09, MT-01: the organisation comes only from Kinde's signed tokens. */
    @Test
    void callbackWhenKindeOrgDiffersFromRequestedOrgThenAccessDenied() {
        kinde.autoLogin(KindeDemoData.ALICE_ID, KindeDemoData.ORG_GLOBEX);
        String location = followKinde(decide(consentPage(authorizeUrl(clientId, REDIRECT, "&org_code=org_acme")),
                "approve"));
        assertEquals("access_denied", BrowserSession.query(location).get("error"));
    }

    /** AZ-01, AZ-03: untrusted client or redirect: an error page, never a redirect. */
    @Test
    void authorizeWhenClientOrRedirectUntrustedThenErrorPageWithoutRedirect() {
        for (String url : List.of(authorizeUrl("dcr_unknown", REDIRECT, ""),
                authorizeUrl(clientId, "https://evil.example/cb", ""),
                authorizeUrl(clientId, REDIRECT, "&client_id=" + enc(clientId)))) {
            HttpResponse<String> r = browser.get(url);
            assertEquals(400, r.statusCode(), url);
            assertTrue(r.headers().firstValue("Location").isEmpty());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null));
            assertTrue(r.body().startsWith("<!DOCTYPE html>"), "a page, not escaped markup: " + r.body());
        }
    }

    /**
     * AZ-10..AZ-17 over HTTP, R-RU-6: errors after the redirect URI is validated go back with state and iss, by
     * a link on a page while this browser never approved the client (RFC 9700 §4.11.2), by a 302 once it has.
     */
    @Test
    void authorizeWhenRequestInvalidThenErrorPageUntilApprovedThenRedirectedWithStateAndIss() {
        Map<String, String> cases = Map.of(
                authorizeUrl(clientId, REDIRECT, "").replace("code_challenge_method=S256", "code_challenge_method=plain"),
                "invalid_request",
                authorizeUrl(clientId, REDIRECT, "").replace("response_type=code", "response_type=token"),
                "unsupported_response_type",
                authorizeUrl(clientId, REDIRECT, "").replace(enc(bridge("/mcp")), enc("https://evil.example/mcp")),
                "invalid_target",
                authorizeUrl(clientId, REDIRECT, "").replace("scope=mcp%3Aread", "scope=mcp%3Aread%0d%0aX%3A1"),
                "invalid_scope");
        cases.forEach((url, error) -> {
            HttpResponse<String> r = browser.get(url);
            assertEquals(400, r.statusCode(), url);
            assertTrue(r.headers().firstValue("Location").isEmpty(), url);
            assertRedirectError(returnLink(r), error);
        });
        assertEquals(303, decide(consentPage(authorizeUrl(clientId, REDIRECT, "")), "approve").statusCode());
        cases.forEach((url, error) -> {
            HttpResponse<String> r = browser.get(url);
            assertEquals(302, r.statusCode(), url);
            assertRedirectError(r.headers().firstValue("Location").orElseThrow(), error);
        });
    }

    /** CON-04: the same consent POST five times at once: one 303 to Kinde. */
    @Test
    void consentWhenPostedFiveTimesAtOnceThenOneSucceeds() throws Exception {
        HttpResponse<String> page = consentPage(authorizeUrl(clientId, REDIRECT, ""));
        Map<String, String> form = new java.util.LinkedHashMap<>(BrowserSession.formFields(page.body()));
        form.put("decision", "approve");
        List<Integer> statuses = Parallel.run(5, () -> browser.postForm(bridge("/authorize/consent"), form,
                "Origin", TestDeployments.issuer()).statusCode());
        assertEquals(1, statuses.stream().filter(s -> s == 303).count(), statuses.toString());
        assertEquals(4, statuses.stream().filter(s -> s == 403).count(), statuses.toString());
    }

    /** CON-03: the same Kinde callback five times at once: one exchange at Kinde, one code. */
    @Test
    void callbackWhenReplayedFiveTimesAtOnceThenOneExchange() throws Exception {
        HttpResponse<String> approved = decide(consentPage(authorizeUrl(clientId, REDIRECT, "")), "approve");
        HttpResponse<String> atKinde = browser.get(approved.headers().firstValue("Location").orElseThrow());
        String callback = atKinde.headers().firstValue("Location").orElseThrow();
        List<Integer> statuses = Parallel.run(5, () -> browser.get(callback).statusCode());
        assertEquals(1, statuses.stream().filter(s -> s == 302).count(), statuses.toString());
        assertEquals(1, kinde.requestCount(FakeKinde.TOKEN_PATH));
    }

    /** REG-17: new redirect URIs void the recorded consent. */
    @Test
    void authorizeWhenClientUpdatedItsRedirectUrisThenConsentAgain() {
        HttpResponse<String> registration = Http.send(HttpRequest.newBuilder(URI.create(bridge("/register")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"redirect_uris\":[\"" + REDIRECT
                        + "\"],\"token_endpoint_auth_method\":\"none\"}")), "Content-Type", "application/json");
        Map<String, Object> md = Http.json(registration);
        String id = (String) md.get("client_id");
        followKinde(decide(consentPage(authorizeUrl(id, REDIRECT, "")), "approve"));
        assertEquals(302, browser.get(authorizeUrl(id, REDIRECT, "")).statusCode(), "approved before");
        HttpResponse<String> put = Http.send(HttpRequest.newBuilder(URI.create((String) md.get("registration_client_uri")))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"" + id + "\",\"redirect_uris\":[\""
                        + REDIRECT + "\",\"http://localhost/other\"],\"token_endpoint_auth_method\":\"none\"}")),
                "Content-Type", "application/json", "Authorization", "Bearer " + md.get("registration_access_token"));
        assertEquals(200, put.statusCode(), put.body());
        consentPage(authorizeUrl(id, REDIRECT, ""));
    }

    /** AZ-20: no CORS on the authorization endpoint. */
    @Test
    void authorizeWhenCrossOriginThenNoCorsHeaders() {
        HttpResponse<String> r = browser.get(authorizeUrl(clientId, REDIRECT, ""), "Origin", "https://evil.example");
        assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }
}
