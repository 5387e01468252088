package dev.kindemcp.bridge.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Dynamic Client Registration (RFC 7591) and client management (RFC 7592) over HTTP on a real Liberty and
 * database: REG-01..REG-18 and REG-28 of the security catalogue, the bodies real MCP clients send
 * (spec-requirements.md §3b), and CON-05.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RegistrationIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        return TestDeployments.bridge(config);
    }

    static String register() {
        return TestDeployments.issuer() + "/register";
    }

    static HttpResponse<String> post(String body) {
        return post(body, "application/json");
    }

    static HttpResponse<String> post(String body, String contentType) {
        return Http.send(HttpRequest.newBuilder(URI.create(register()))
                .POST(HttpRequest.BodyPublishers.ofString(body)), "Content-Type", contentType);
    }

    static void assertError(HttpResponse<String> response, int status, String error) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        Map<String, Object> json = Http.json(response);
        assertEquals(error, json.get("error"), response.body());
        String description = (String) json.get("error_description");
        if (description != null) {
            assertTrue(description.matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*"), description);
        }
        assertFalse(response.body().contains("Exception"), "no stack trace: " + response.body());
    }

    static Map<String, Object> registered(String body) {
        HttpResponse<String> response = post(body);
        assertEquals(201, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        return Http.json(response);
    }

    /** REG-01. */
    @Test
    void registerWhenMalformedJsonThenInvalidClientMetadata() {
        assertError(post("{\"redirect_uris\":["), 400, "invalid_client_metadata");
        assertError(post("[\"https://c.example/cb\"]"), 400, "invalid_client_metadata");
    }

    /** REG-02. */
    @Test
    void registerWhenFormEncodedThen415() {
        assertError(post("redirect_uris=https%3A%2F%2Fc.example%2Fcb", "application/x-www-form-urlencoded"), 415,
                "invalid_client_metadata");
    }

    /** REG-03. */
    @Test
    void registerWhenBodyOverLimitThen413BeforeParsing() {
        String huge = "{\"client_name\":\"" + "a".repeat(1024 * 1024) + "\"}";
        assertError(post(huge), 413, "invalid_client_metadata");
    }

    /** REG-04..REG-09 (the full matrix is RedirectUriPolicyTest). */
    @Test
    void registerWhenUnsafeRedirectUriThenInvalidRedirectUri() {
        for (String uri : List.of("javascript:alert(1)", "data:text/html,x", "https://c.example/cb#x",
                "http://c.example/cb", "https://c.example@evil.example/cb", "https://c.example/%2e%2e/cb",
                "myapp://cb")) {
            assertError(post("{\"redirect_uris\":[\"" + uri + "\"]}"), 400, "invalid_redirect_uri");
        }
        assertError(post("{}"), 400, "invalid_redirect_uri");
    }

    /** REG-10. */
    @Test
    void registerWhenHugeArraysOrNestingThenInvalidClientMetadata() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add("\"https://c.example/cb" + i + "\"");
        }
        assertError(post("{\"redirect_uris\":[" + String.join(",", many) + "]}"), 400, "invalid_client_metadata");
        String nested = "[".repeat(5000) + "]".repeat(5000);
        assertError(post("{\"redirect_uris\":[\"https://c.example/cb\"],\"x\":" + nested + "}"), 400,
                "invalid_client_metadata");
        assertError(post("{\"redirect_uris\":[\"https://c.example/cb\"],\"client_name\":\"" + "n".repeat(100_000)
                + "\"}"), 400, "invalid_client_metadata");
    }

    /** REG-11, REG-12. */
    @Test
    void registerWhenUnsupportedGrantOrResponseTypeThenInvalidClientMetadata() {
        for (String extra : List.of("\"grant_types\":[\"password\"]", "\"grant_types\":[\"implicit\"]",
                "\"response_types\":[\"token\"]", "\"response_types\":[\"code\"],\"grant_types\":[\"client_credentials\"]",
                "\"grant_types\":[\"client_credentials\"]", "\"grant_types\":[\"refresh_token\"]")) {
            assertError(post("{\"redirect_uris\":[\"https://c.example/cb\"]," + extra + "}"), 400,
                    "invalid_client_metadata");
        }
    }

    /** REG-13. */
    @Test
    void registerWhenAuthMethodVariantsThenNoneHasNoSecretDefaultHasSecretOthersRejected() {
        Map<String, Object> pub = registered("{\"redirect_uris\":[\"https://c.example/cb\"],"
                + "\"token_endpoint_auth_method\":\"none\"}");
        assertNull(pub.get("client_secret"));
        assertEquals("none", pub.get("token_endpoint_auth_method"));
        Map<String, Object> conf = registered("{\"redirect_uris\":[\"https://c.example/cb\"]}");
        assertEquals("client_secret_basic", conf.get("token_endpoint_auth_method"));
        assertTrue(((String) conf.get("client_secret")).length() >= 43, "256-bit secret");
        assertEquals(0L, ((Number) conf.get("client_secret_expires_at")).longValue());
        for (String method : List.of("private_key_jwt", "tls_client_auth", "foo")) {
            assertError(post("{\"redirect_uris\":[\"https://c.example/cb\"],\"token_endpoint_auth_method\":\""
                    + method + "\"}"), 400, "invalid_client_metadata");
        }
    }

    /** REG-14: URLs the bridge would have to fetch or show are dropped; nothing is fetched. */
    @Test
    void registerWhenSsrfBearingMetadataThenFieldsDropped() {
        Map<String, Object> md = registered("{\"redirect_uris\":[\"https://c.example/cb\"],"
                + "\"jwks_uri\":\"http://169.254.169.254/latest\",\"logo_uri\":\"http://127.0.0.1:5432/\","
                + "\"client_uri\":\"https://evil.example/\",\"sector_identifier_uri\":\"http://10.0.0.1/\","
                + "\"tos_uri\":\"https://c.example/tos\"}");
        for (String dropped : List.of("jwks_uri", "logo_uri", "client_uri", "sector_identifier_uri")) {
            assertFalse(md.containsKey(dropped), dropped);
        }
        assertEquals("https://c.example/tos", md.get("tos_uri"));
    }

    /** REG-15. */
    @Test
    void registerWhenSelfAssertedIdentityThenServerGeneratesIdentifiersAndIgnoresUnknown() {
        Map<String, Object> md = registered("{\"redirect_uris\":[\"https://c.example/cb\"],\"client_id\":\"mine\","
                + "\"client_secret\":\"mine\",\"client_id_issued_at\":1,\"registration_access_token\":\"mine\","
                + "\"x\":1}");
        String clientId = (String) md.get("client_id");
        assertTrue(clientId.startsWith("dcr_") && clientId.length() >= 4 + 22, clientId);
        assertNotEquals("mine", md.get("client_secret"));
        assertTrue(((String) md.get("registration_access_token")).length() >= 43, "256-bit registration token");
        assertEquals(register() + "/" + clientId, md.get("registration_client_uri"));
        assertFalse(md.containsKey("x"));
        assertNotEquals(1L, ((Number) md.get("client_id_issued_at")).longValue());
    }

    /** REG-16. */
    @Test
    void registerWhenMinimalBodyThenSafeDefaults() {
        Map<String, Object> md = registered("{\"redirect_uris\":[\"https://c.example/cb\"]}");
        assertEquals(List.of("authorization_code"), md.get("grant_types"));
        assertEquals(List.of("code"), md.get("response_types"));
        assertEquals("mcp:read mcp:write", md.get("scope"), "an open client is registered for the open-client scopes");
        assertEquals("web", md.get("application_type"));
    }

    /** REG-18: the name is stored as sent; the consent page escapes it. */
    @Test
    void registerWhenMarkupInNameThenStoredVerbatim() {
        Map<String, Object> md = registered("{\"redirect_uris\":[\"https://c.example/cb\"],"
                + "\"client_name\":\"<img src=x onerror=alert(1)>\",\"client_uri\":\"javascript:alert(1)\"}");
        assertEquals("<img src=x onerror=alert(1)>", md.get("client_name"));
        assertFalse(md.containsKey("client_uri"));
    }

    /** REG-28 and the Cursor registration of spec-requirements.md §3b. */
    @Test
    void registerWhenRealClientBodiesThenCreated() {
        Map<String, String> bodies = Map.of(
                "Claude.ai", "{\"client_name\":\"Claude\",\"redirect_uris\":[\"https://claude.ai/api/mcp/auth_callback\","
                        + "\"https://claude.com/api/mcp/auth_callback\"],\"grant_types\":[\"authorization_code\","
                        + "\"refresh_token\"],\"response_types\":[\"code\"],\"token_endpoint_auth_method\":"
                        + "\"client_secret_post\",\"scope\":\"claudeai\"}",
                "Cursor", "{\"client_name\":\"Cursor\",\"redirect_uris\":[\"cursor://anysphere.cursor-mcp/oauth/callback\","
                        + "\"https://www.cursor.com/agents/mcp/oauth/callback\",\"http://localhost:8787/callback\"],"
                        + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],"
                        + "\"token_endpoint_auth_method\":\"none\"}",
                "VS Code", "{\"client_name\":\"Visual Studio Code\",\"redirect_uris\":[\"https://insiders.vscode.dev/redirect\","
                        + "\"https://vscode.dev/redirect\",\"http://127.0.0.1/\",\"http://127.0.0.1:33418/\"],"
                        + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],"
                        + "\"token_endpoint_auth_method\":\"none\"}",
                "mcp-remote", "{\"redirect_uris\":[\"http://localhost:30438/oauth/callback\"],\"token_endpoint_auth_method\":"
                        + "\"none\",\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],"
                        + "\"client_name\":\"MCP CLI Client\",\"client_uri\":\"https://github.com/modelcontextprotocol/mcp-cli\","
                        + "\"software_id\":\"2e6dc280-f3c3-4e01-99a7-8181dbd1d23d\",\"software_version\":\"0.15.1\","
                        + "\"scope\":\"mcp:tools\",\"application_type\":\"native\"}",
                "Inspector", "{\"redirect_uris\":[\"http://127.0.0.1:6276/oauth/callback\"],\"token_endpoint_auth_method\":"
                        + "\"none\",\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],"
                        + "\"client_name\":\"MCP Inspector\",\"client_uri\":\"https://github.com/modelcontextprotocol/inspector\","
                        + "\"scope\":\"mcp:tools\",\"application_type\":\"native\"}");
        bodies.forEach((client, body) -> {
            Map<String, Object> md = registered(body);
            assertTrue(((String) md.get("client_id")).startsWith("dcr_"), client);
            assertEquals(List.of("authorization_code", "refresh_token"), md.get("grant_types"), client);
        });
        Map<String, Object> claude = registered(bodies.get("Claude.ai"));
        assertEquals("client_secret_post", claude.get("token_endpoint_auth_method"));
        assertTrue(claude.containsKey("client_secret"), "Claude.ai reads the method and secret back");
        assertEquals("mcp:read mcp:write", claude.get("scope"), "unknown scopes are not fatal");
        assertEquals("native", registered(bodies.get("Cursor")).get("application_type"));
    }

    /** REG-17: the client configuration endpoint. */
    @Test
    void configurationEndpointWhenTokenRightOrWrongThenRfc7592Semantics() {
        Map<String, Object> a = registered("{\"redirect_uris\":[\"https://a.example/cb\"],\"client_name\":\"A\"}");
        Map<String, Object> b = registered("{\"redirect_uris\":[\"https://b.example/cb\"],\"token_endpoint_auth_method\":\"none\"}");
        String uriA = (String) a.get("registration_client_uri");
        String tokenA = (String) a.get("registration_access_token");
        String tokenB = (String) b.get("registration_access_token");

        HttpResponse<String> none = Http.get(uriA);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"registration\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        for (String wrong : List.of("nope", tokenB)) {
            HttpResponse<String> r = Http.get(uriA, "Authorization", "Bearer " + wrong);
            assertEquals(401, r.statusCode());
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
            HttpResponse<String> d = Http.send(HttpRequest.newBuilder(URI.create(uriA)).DELETE(),
                    "Authorization", "Bearer " + wrong);
            assertEquals(401, d.statusCode());
        }

        HttpResponse<String> read = Http.get(uriA, "Authorization", "Bearer " + tokenA);
        assertEquals(200, read.statusCode(), read.body());
        Map<String, Object> current = Http.json(read);
        assertEquals("A", current.get("client_name"));
        assertFalse(current.containsKey("client_secret"));
        assertFalse(read.body().contains("hash"));

        String clientId = (String) a.get("client_id");
        assertError(put(uriA, tokenA, "{\"client_id\":\"" + clientId + "\",\"redirect_uris\":[\"javascript:x\"]}"),
                400, "invalid_redirect_uri");
        assertError(put(uriA, tokenA, "{\"client_id\":\"other\",\"redirect_uris\":[\"https://a.example/cb\"]}"),
                400, "invalid_client_metadata");
        assertError(put(uriA, tokenA, "{\"client_id\":\"" + clientId + "\",\"redirect_uris\":[\"https://a.example/cb\"],"
                + "\"grant_types\":[\"client_credentials\"]}"), 400, "invalid_client_metadata");
        HttpResponse<String> updated = put(uriA, tokenA, "{\"client_id\":\"" + clientId
                + "\",\"redirect_uris\":[\"https://a.example/new\"]}");
        assertEquals(200, updated.statusCode(), updated.body());
        Map<String, Object> after = Http.json(updated);
        assertEquals(List.of("https://a.example/new"), after.get("redirect_uris"));
        assertNull(after.get("client_name"), "omitted fields fall back to defaults, never to old values");

        HttpResponse<String> deleted = Http.send(HttpRequest.newBuilder(URI.create(uriA)).DELETE(),
                "Authorization", "Bearer " + tokenA);
        assertEquals(204, deleted.statusCode());
        assertEquals(401, Http.get(uriA, "Authorization", "Bearer " + tokenA).statusCode());
        assertEquals(401, put(uriA, tokenA, "{\"client_id\":\"" + clientId
                + "\",\"redirect_uris\":[\"https://a.example/cb\"]}").statusCode(), "a deleted client never comes back");
    }

    static HttpResponse<String> put(String uri, String token, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(uri)).PUT(HttpRequest.BodyPublishers.ofString(body)),
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    /** CON-05. */
    @Test
    void registerWhenHundredInParallelThenHundredDistinctUsableClients() throws Exception {
        int n = 100;
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return post("{\"redirect_uris\":[\"http://127.0.0.1/cb" + index + "\"],"
                            + "\"token_endpoint_auth_method\":\"none\"}");
                }));
            }
            Set<String> ids = new HashSet<>();
            for (Future<HttpResponse<String>> result : results) {
                HttpResponse<String> response = result.get();
                assertEquals(201, response.statusCode(), response.body());
                Map<String, Object> md = Http.json(response);
                ids.add((String) md.get("client_id"));
                HttpResponse<String> read = Http.get((String) md.get("registration_client_uri"),
                        "Authorization", "Bearer " + md.get("registration_access_token"));
                assertEquals(200, read.statusCode(), "persisted and usable");
            }
            assertEquals(n, ids.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void adminApiWhenNoAdminTokenConfiguredThenNotFound() {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(TestDeployments.issuer() + "/admin/clients"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")), "Content-Type", "application/json",
                "Authorization", "Bearer anything-at-all-0123456789abcdef0123");
        assertEquals(404, r.statusCode());
    }

    @Test
    void registerWhenBrowserOriginThenCorsAllowsIt() {
        HttpResponse<String> preflight = Http.options(register(), "Origin", "http://localhost:6274",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
        assertEquals(204, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
    }
}
