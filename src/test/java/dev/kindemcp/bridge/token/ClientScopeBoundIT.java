package dev.kindemcp.bridge.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.AdminApi;
import dev.kindemcp.bridge.testsupport.BrowserSession;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a client is registered for bounds every grant it gets (security catalogue CC-03, AZ-15), over HTTP on a
 * real Liberty. The bridge serves a scope ({@code notes:admin}) that openly registered clients may not have, and
 * each case asks for a scope the server supports but the client is not registered for.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClientScopeBoundIT {

    static final String ADMIN_TOKEN = "admin-token-for-tests-0123456789abcdef";

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.admin-token", ADMIN_TOKEN);
        config.put("bridge.scopes", "mcp:read mcp:write notes:admin");
        config.put("bridge.registration.open-client-scopes", "mcp:read mcp:write");
        return TestDeployments.bridge(config);
    }

    @BeforeEach
    void setUp() {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
    }

    static Map<String, Object> provision(String body) {
        return AdminApi.provision(body, ADMIN_TOKEN);
    }

    static HttpResponse<String> clientCredentials(Map<String, Object> client, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scope != null) {
            form.put("scope", scope);
        }
        return LoginDriver.token(form, "Authorization", AdminApi.basic(client));
    }

    /** CC-03: client_credentials only within the registered scope; no scope asked gets the registered default. */
    @Test
    void clientCredentialsWhenScopeBeyondRegistrationThenInvalidScope() {
        Map<String, Object> reader = provision("{\"grant_types\":[\"client_credentials\"],\"scope\":\"mcp:read\"}");
        for (String beyond : new String[] {"mcp:write", "mcp:read mcp:write", "notes:admin"}) {
            HttpResponse<String> refused = clientCredentials(reader, beyond);
            assertEquals(400, refused.statusCode(), beyond);
            assertEquals("invalid_scope", Http.json(refused).get("error"), beyond);
        }
        assertEquals("mcp:read", Http.json(clientCredentials(reader, null)).get("scope"));
        assertEquals("mcp:read", Http.json(clientCredentials(reader, "mcp:read")).get("scope"));

        // registered without scope: the default scopes, and nothing more
        Map<String, Object> unnamed = provision("{\"grant_types\":[\"client_credentials\"]}");
        assertEquals("mcp:read", unnamed.get("scope"));
        assertEquals("invalid_scope", Http.json(clientCredentials(unnamed, "mcp:write")).get("error"));

        // registered for a scope outside the defaults: that scope when none is asked
        Map<String, Object> admin = provision("{\"grant_types\":[\"client_credentials\"],\"scope\":\"notes:admin\"}");
        assertEquals("notes:admin", Http.json(clientCredentials(admin, null)).get("scope"));
    }

    /** AZ-15: a provisioned client (operator-vetted, errors redirected) asks /authorize for more than it has. */
    @Test
    void authorizeWhenProvisionedClientAsksBeyondRegistrationThenInvalidScopeRedirected() {
        Map<String, Object> app = provision("{\"client_name\":\"in-house app\",\"redirect_uris\":[\""
                + LoginDriver.REDIRECT + "\"],\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
                + "\"scope\":\"mcp:read\"}");
        HttpResponse<String> r = new BrowserSession().get(authorizeUrl((String) app.get("client_id"),
                "mcp:read mcp:write"));
        assertEquals(302, r.statusCode(), r.body());
        Map<String, String> q = BrowserSession.query(r.headers().firstValue("Location").orElseThrow());
        assertEquals("invalid_scope", q.get("error"));
        assertEquals("st", q.get("state"));
    }

    /**
     * An openly registered client is registered for the open-client scopes whatever it names, and a scope outside
     * them is refused at /authorize (shown as a page: nobody approved this client in this browser).
     */
    @Test
    void authorizeWhenOpenClientAsksForScopeOutsideOpenClientScopesThenInvalidScope() {
        HttpResponse<String> registered = Http.send(HttpRequest.newBuilder(URI.create(LoginDriver.url("/register")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"redirect_uris\":[\"" + LoginDriver.REDIRECT
                        + "\"],\"token_endpoint_auth_method\":\"none\",\"grant_types\":[\"authorization_code\","
                        + "\"refresh_token\"],\"scope\":\"mcp:read notes:admin\"}")), "Content-Type", "application/json");
        assertEquals(201, registered.statusCode(), registered.body());
        assertEquals("mcp:read mcp:write", Http.json(registered).get("scope"));
        HttpResponse<String> r = new BrowserSession().get(authorizeUrl(
                (String) Http.json(registered).get("client_id"), "mcp:read notes:admin"));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("invalid_scope") && r.body().contains("notes:admin"), r.body());
        assertTrue(r.headers().firstValue("Location").isEmpty());
    }

    /** The consent page lists exactly what the token will carry: unknown scopes are neither shown nor granted. */
    @Test
    void consentWhenRequestNamesUnknownScopesThenPageAndTokenShowOnlyGranted() {
        LoginDriver.Client client = LoginDriver.register("none");
        HttpResponse<String> page = new BrowserSession().get(authorizeUrl(client.clientId(),
                "mcp:read offline_access claudeai"));
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("(mcp:read)"), page.body());
        for (String absent : new String[] {"offline_access", "claudeai", "mcp:write", "notes:admin"}) {
            assertFalse(page.body().contains(absent), absent);
        }
        String code = LoginDriver.code(client, "mcp:read offline_access claudeai");
        Map<String, Object> tokens = Http.json(LoginDriver.token(LoginDriver.codeExchange(client, code)));
        assertEquals("mcp:read", tokens.get("scope"));
    }

    /** On refresh a scope the client is not registered for is refused like any widening. */
    @Test
    void refreshWhenScopeBeyondRegistrationThenInvalidScope() {
        LoginDriver.Client client = LoginDriver.register("none");
        String code = LoginDriver.code(client, "mcp:read mcp:write");
        Map<String, Object> tokens = Http.json(LoginDriver.token(LoginDriver.codeExchange(client, code)));
        Map<String, String> form = LoginDriver.refreshForm(client, (String) tokens.get("refresh_token"));
        form.put("scope", "mcp:read notes:admin");
        HttpResponse<String> refused = LoginDriver.token(form);
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("invalid_scope", Http.json(refused).get("error"));
        form.put("scope", "mcp:read");
        assertEquals("mcp:read", Http.json(LoginDriver.token(form)).get("scope"));
    }

    static String authorizeUrl(String clientId, String scope) {
        return LoginDriver.url("/authorize?response_type=code&client_id=" + LoginDriver.enc(clientId)
                + "&redirect_uri=" + LoginDriver.enc(LoginDriver.REDIRECT) + "&code_challenge=" + LoginDriver.CHALLENGE
                + "&code_challenge_method=S256&state=st&scope=" + LoginDriver.enc(scope) + "&resource="
                + LoginDriver.enc(LoginDriver.url("/mcp")));
    }
}
