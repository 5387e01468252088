package dev.kindemcp.bridge.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.BrowserSession;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.LoginDriver.Client;
import dev.kindemcp.bridge.testsupport.TestDatabase;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connected-apps page and its admin API over HTTP (issue 15.4): a user sees only their own clients and ends
 * one (families revoked, the Kinde refresh token revoked at Kinde, the approval forgotten); forged forms and
 * non-operators are refused; an operator (Kinde permission write:notes here, which Alice has in Acme and Bob
 * lacks) lists, filters, revokes and deletes across users; the JSON API takes the operator token or a Kinde
 * token with the permission, and nothing else.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConnectedAppsIT {

    static final String ADMIN_TOKEN = "connected-apps-admin-token-0123456789abcdef";
    static final String OPERATOR_PERMISSION = KindeDemoData.WRITE_NOTES;

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.admin-token", ADMIN_TOKEN);
        config.put("bridge.operator-permission", OPERATOR_PERMISSION);
        return TestDeployments.bridge(config);
    }

    /** A user's MCP client with a live grant: the client and its refresh token. */
    record Granted(Client client, String refreshToken) {
    }

    static Granted grant(String user, String org) {
        TestKinde.reset(user, org);
        Client client = LoginDriver.register("none");
        Map<String, Object> tokens = Http.json(LoginDriver.token(LoginDriver.codeExchange(client,
                LoginDriver.code(client, "mcp:read"))));
        return new Granted(client, (String) tokens.get("refresh_token"));
    }

    /** A browser signed in to /account as {@code user} (the fake Kinde signs in whoever it is told to). */
    static BrowserSession signIn(String user, String org) {
        TestKinde.reset(user, org);
        BrowserSession browser = new BrowserSession();
        String url = TestDeployments.issuer() + "/account";
        HttpResponse<String> response = browser.get(url);
        for (int hops = 0; response.statusCode() == 302 && hops < 5; hops++) {
            response = browser.get(response.headers().firstValue("Location").orElseThrow());
        }
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains(user), response.body());
        return browser;
    }

    static HttpResponse<String> page(BrowserSession browser, String path) {
        return browser.get(TestDeployments.issuer() + path);
    }

    static String csrf(BrowserSession browser) {
        return BrowserSession.formFields(page(browser, "/account").body()).get("csrf_token");
    }

    static HttpResponse<String> post(BrowserSession browser, String path, Map<String, String> form, String origin) {
        return origin == null ? browser.postForm(TestDeployments.issuer() + path, form)
                : browser.postForm(TestDeployments.issuer() + path, form, "Origin", origin);
    }

    static Map<String, String> form(String... namesAndValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }

    static int refreshStatus(Granted granted) {
        return LoginDriver.token(LoginDriver.refreshForm(granted.client(), granted.refreshToken())).statusCode();
    }

    static int approvals(String user, String client) throws Exception {
        try (Connection db = TestDatabase.connect(); PreparedStatement s = db.prepareStatement(
                "SELECT COUNT(*) FROM consent WHERE kinde_user_id = ? AND client_id = ?")) {
            s.setString(1, user);
            s.setString(2, client);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    static HttpResponse<String> api(String method, String query, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestDeployments.issuer()
                + "/admin/connected-apps" + query)).method(method, HttpRequest.BodyPublishers.noBody());
        return token == null ? Http.send(request) : Http.send(request, "Authorization", "Bearer " + token);
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void pageWhenUserRevokesThenGrantEndsAtKindeTooAndApprovalForgotten() throws Exception {
        Granted bobs = grant(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        Granted alices = grant(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        int revokedAtKinde = TestKinde.get().revokedRefreshTokens().size();
        assertEquals(1, approvals(KindeDemoData.BOB_ID, bobs.client().clientId()), "the login recorded an approval");

        BrowserSession bob = signIn(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        String listing = page(bob, "/account").body();
        assertTrue(listing.contains(bobs.client().clientId()), listing);
        assertFalse(listing.contains(alices.client().clientId()), "only the user's own clients");
        assertTrue(listing.contains("127.0.0.1") && listing.contains("mcp:read") && listing.contains("org_acme"),
                "redirect host, scopes and organisation: " + listing);
        assertFalse(listing.contains("/account/operator"), "no operator link for Bob");

        HttpResponse<String> revoked = post(bob, "/account/revoke", form("client_id", bobs.client().clientId(),
                "csrf_token", csrf(bob)), TestDeployments.issuer());
        assertEquals(303, revoked.statusCode(), revoked.body());
        assertEquals("/account?notice=revoked", URI.create(revoked.headers().firstValue("Location").orElseThrow())
                .toString().replaceFirst("^https?://[^/]+", ""));
        assertEquals(400, refreshStatus(bobs), "the refresh token is dead");
        assertEquals(0, approvals(KindeDemoData.BOB_ID, bobs.client().clientId()), "the next login asks again");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (TestKinde.get().revokedRefreshTokens().size() <= revokedAtKinde && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertTrue(TestKinde.get().revokedRefreshTokens().size() > revokedAtKinde, "revoked at Kinde");
        String after = page(bob, "/account?notice=revoked").body();
        assertFalse(after.contains(bobs.client().clientId()), after);
        assertTrue(after.contains("Access ended"), after);
        assertEquals(200, refreshStatus(alices), "Alice's grant is untouched");
    }

    @Test
    void formsWhenForgedOrNotOperatorThenForbiddenAndNothingEnds() {
        Granted bobs = grant(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        BrowserSession bob = signIn(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        String csrf = csrf(bob);
        String client = bobs.client().clientId();
        assertEquals(403, post(bob, "/account/revoke", form("client_id", client), null).statusCode(), "no token");
        assertEquals(403, post(bob, "/account/revoke", form("client_id", client, "csrf_token", csrf + "0"), null)
                .statusCode(), "a wrong token");
        assertEquals(403, post(bob, "/account/revoke", form("client_id", client, "csrf_token", csrf),
                "https://evil.example").statusCode(), "another site's form");
        assertEquals(403, post(new BrowserSession(), "/account/revoke", form("client_id", client, "csrf_token", csrf),
                null).statusCode(), "no session");
        assertEquals(403, page(bob, "/account/operator").statusCode(), "Bob is no operator");
        assertEquals(403, post(bob, "/account/operator/revoke", form("user", KindeDemoData.BOB_ID, "client_id",
                client, "csrf_token", csrf), null).statusCode());
        assertEquals(403, post(bob, "/account/operator/delete-client", form("client_id", client, "csrf_token", csrf),
                null).statusCode());
        HttpResponse<String> rotated = LoginDriver.token(LoginDriver.refreshForm(bobs.client(), bobs.refreshToken()));
        assertEquals(200, rotated.statusCode(), "nothing ended: " + rotated.body());
        assertTrue(page(bob, "/account").body().contains(client));
        HttpResponse<String> signedOut = post(bob, "/account/sign-out", form("csrf_token", csrf), null);
        assertEquals(200, signedOut.statusCode());
        assertEquals(403, post(bob, "/account/revoke", form("client_id", client, "csrf_token", csrf), null)
                .statusCode(), "the session ended");
    }

    @Test
    void operatorPageWhenFilteredThenRevokesAndDeletesAcrossUsers() throws Exception {
        Granted bobs = grant(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        Granted bobsOther = grant(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        BrowserSession alice = signIn(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        assertTrue(page(alice, "/account").body().contains("/account/operator"), "the operator's link");
        String byUser = page(alice, "/account/operator?user=" + enc(KindeDemoData.BOB_ID)).body();
        assertTrue(byUser.contains(bobs.client().clientId()) && byUser.contains(bobsOther.client().clientId()), byUser);
        String byClient = page(alice, "/account/operator?client=" + enc(bobs.client().clientId())).body();
        assertTrue(byClient.contains(bobs.client().clientId()), byClient);
        assertFalse(byClient.contains(bobsOther.client().clientId()), byClient);
        assertFalse(page(alice, "/account/operator?org=org_globex&user=" + enc(KindeDemoData.BOB_ID)).body()
                .contains(bobs.client().clientId()), "Bob's grants are in Acme");
        String csrf = csrf(alice);
        HttpResponse<String> revoked = post(alice, "/account/operator/revoke", form("user", KindeDemoData.BOB_ID,
                "client_id", bobs.client().clientId(), "csrf_token", csrf), TestDeployments.issuer());
        assertEquals(303, revoked.statusCode(), revoked.body());
        assertEquals(400, refreshStatus(bobs));
        assertEquals(200, refreshStatus(bobsOther), "only that client");
        HttpResponse<String> deleted = post(alice, "/account/operator/delete-client", form("client_id",
                bobsOther.client().clientId(), "csrf_token", csrf), null);
        assertEquals(303, deleted.statusCode(), deleted.body());
        assertTrue(deleted.headers().firstValue("Location").orElseThrow().endsWith("notice=deleted"));
        HttpResponse<String> gone = LoginDriver.token(LoginDriver.refreshForm(bobsOther.client(), "any"));
        assertEquals(401, gone.statusCode(), "the client no longer exists: " + gone.body());
    }

    @Test
    void adminApiWhenOperatorTokenOrKindePermissionThenAllowedElseRefused() {
        Granted bobs = grant(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        String query = "?user=" + enc(KindeDemoData.BOB_ID) + "&client=" + enc(bobs.client().clientId());
        String audience = "https://api.example.test";
        String bobsKindeToken = TestKinde.get().issueUserAccessToken(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME,
                audience);
        String alicesKindeToken = TestKinde.get().issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME,
                audience);
        String alicesOtherAudience = TestKinde.get().issueUserAccessToken(KindeDemoData.ALICE_ID,
                KindeDemoData.ORG_ACME, "https://other.api.example");
        assertEquals(401, api("GET", query, null).statusCode());
        assertEquals(401, api("GET", query, "not-the-admin-token-0123456789abcdef0123").statusCode());
        assertEquals(401, api("GET", query, alicesOtherAudience).statusCode(), "a Kinde token for another API");
        HttpResponse<String> bobs403 = api("GET", query, bobsKindeToken);
        assertEquals(403, bobs403.statusCode(), bobs403.body());
        assertTrue(bobs403.headers().firstValue("WWW-Authenticate").orElse("").contains("insufficient_scope"));
        assertEquals(403, api("DELETE", query, bobsKindeToken).statusCode());

        HttpResponse<String> listed = api("GET", query, alicesKindeToken);
        assertEquals(200, listed.statusCode(), listed.body());
        List<?> apps = (List<?>) Http.json(listed).get("connected_apps");
        assertEquals(1, apps.size(), listed.body());
        Map<?, ?> app = (Map<?, ?>) apps.get(0);
        assertEquals(KindeDemoData.BOB_ID, app.get("user"));
        assertEquals(List.of("org_acme"), app.get("organisations"));
        assertEquals(1, ((Number) app.get("live_grants")).intValue());
        assertEquals(200, api("GET", query, ADMIN_TOKEN).statusCode(), "the operator token works too");

        assertEquals(400, api("DELETE", "?user=" + enc(KindeDemoData.BOB_ID), ADMIN_TOKEN).statusCode());
        assertEquals(204, api("DELETE", query, ADMIN_TOKEN).statusCode());
        assertEquals(400, refreshStatus(bobs));
        assertEquals(404, api("DELETE", query, alicesKindeToken).statusCode(), "nothing left to end");
        assertEquals(204, api("DELETE", "/client?client=" + enc(bobs.client().clientId()), alicesKindeToken)
                .statusCode());
        assertEquals(401, LoginDriver.token(LoginDriver.refreshForm(bobs.client(), "any")).statusCode(),
                "the client is deleted");
    }
}
