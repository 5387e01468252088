package dev.kindemcp.bridge.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.testsupport.AdminApi;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Operator-provisioned confidential clients through the admin API on a real Liberty: the only clients that may
 * hold client_credentials (R-DCR-6), with no RFC 7592 configuration endpoint (REG-17).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProvisionedClientsIT {

    static final String ADMIN_TOKEN = "admin-token-for-tests-0123456789abcdef";

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.baseConfig();
        config.put("bridge.admin-token", ADMIN_TOKEN);
        return TestDeployments.bridge(config);
    }

    static String admin() {
        return AdminApi.clients();
    }

    static HttpResponse<String> create(String body, String token) {
        return AdminApi.create(body, token);
    }

    @Test
    void provisionWhenAdminTokenThenMachineClientWithSecretOnce() {
        HttpResponse<String> created = create("{\"client_name\":\"nightly-job\",\"grant_types\":[\"client_credentials\"],"
                + "\"scope\":\"mcp:read mcp:write\"}", ADMIN_TOKEN);
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> md = Http.json(created);
        String clientId = (String) md.get("client_id");
        assertTrue(clientId.startsWith("svc_"), clientId);
        assertTrue(((String) md.get("client_secret")).length() >= 43);
        assertEquals(List.of("client_credentials"), md.get("grant_types"));
        assertEquals("client_secret_basic", md.get("token_endpoint_auth_method"));
        assertFalse(md.containsKey("registration_access_token"));

        HttpResponse<String> read = Http.get(admin() + "/" + clientId, "Authorization", "Bearer " + ADMIN_TOKEN);
        assertEquals(200, read.statusCode());
        assertFalse(Http.json(read).containsKey("client_secret"), "the secret is shown once");

        // REG-17: provisioned clients have no configuration endpoint
        HttpResponse<String> rfc7592 = Http.get(TestDeployments.issuer() + "/register/" + clientId,
                "Authorization", "Bearer " + ADMIN_TOKEN);
        assertEquals(401, rfc7592.statusCode());

        HttpResponse<String> deleted = Http.send(HttpRequest.newBuilder(URI.create(admin() + "/" + clientId)).DELETE(),
                "Authorization", "Bearer " + ADMIN_TOKEN);
        assertEquals(204, deleted.statusCode());
        assertEquals(404, Http.get(admin() + "/" + clientId, "Authorization", "Bearer " + ADMIN_TOKEN).statusCode());
    }

    @Test
    void provisionWhenNoOrWrongTokenThen401AndNothingCreated() {
        HttpResponse<String> none = Http.send(HttpRequest.newBuilder(URI.create(admin()))
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_types\":[\"client_credentials\"]}")),
                "Content-Type", "application/json");
        assertEquals(401, none.statusCode());
        HttpResponse<String> wrong = create("{\"grant_types\":[\"client_credentials\"]}", "not-the-admin-token");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
    }

    @Test
    void provisionWhenPublicOrUnsafeThenRejected() {
        HttpResponse<String> pub = create("{\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"none\"}",
                ADMIN_TOKEN);
        assertEquals(400, pub.statusCode());
        assertEquals("invalid_client_metadata", Http.json(pub).get("error"));
        HttpResponse<String> badRedirect = create("{\"redirect_uris\":[\"http://evil.example/cb\"]}", ADMIN_TOKEN);
        assertEquals(400, badRedirect.statusCode());
        assertEquals("invalid_redirect_uri", Http.json(badRedirect).get("error"));
    }
}
