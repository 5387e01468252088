package dev.kindemcp.bridge.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.LoginDriver.Client;
import dev.kindemcp.bridge.testsupport.McpCalls;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Master-key rotation without losing anything (issue 15.5), as the README's procedure does it: a login under
 * master key A; the bridge restarted with B as {@code bridge.master-key} and A in
 * {@code bridge.additional-master-keys}, where the tokens keep working and the periodic pass seals every value
 * under B; then B alone, where they still work. Then the same way back to A (the other test classes of this
 * server use A), this time by the operator's {@code POST /admin/keys/master/reseal}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MasterKeyRotationIT {

    static final String KEY_A = TestDeployments.TEST_MASTER_KEY;
    static final String KEY_B = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    static final String ADMIN_TOKEN = "master-key-admin-token-0123456789abcdef0123";

    static WebArchive bridge(String name, String masterKey, String additional) {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.master-key", masterKey);
        if (additional != null) {
            config.put("bridge.additional-master-keys", additional);
        }
        config.put("bridge.admin-token", ADMIN_TOKEN);
        return TestDeployments.bridge(name, config);
    }

    @Deployment(name = "underA", managed = false)
    static WebArchive underA() {
        return bridge("underA", KEY_A, null);
    }

    @Deployment(name = "rotatingToB", managed = false)
    static WebArchive rotatingToB() {
        return bridge("rotatingToB", KEY_B, KEY_A);
    }

    @Deployment(name = "underB", managed = false)
    static WebArchive underB() {
        return bridge("underB", KEY_B, null);
    }

    @Deployment(name = "rotatingToA", managed = false)
    static WebArchive rotatingToA() {
        return bridge("rotatingToA", KEY_A, KEY_B);
    }

    @ArquillianResource
    Deployer deployer;

    static HttpResponse<String> admin(String path, boolean post) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestDeployments.issuer() + path));
        return Http.send(post ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET(),
                "Authorization", "Bearer " + ADMIN_TOKEN);
    }

    static Map<String, Object> status() {
        HttpResponse<String> status = admin("/admin/keys/master", false);
        assertEquals(200, status.statusCode(), status.body());
        return Http.json(status);
    }

    /** The status, once nothing is left under another key (the periodic pass runs at start), within 20 s. */
    static Map<String, Object> resealed() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        Map<String, Object> status = status();
        while (((Number) status.get("remaining")).intValue() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            status = status();
        }
        return status;
    }

    /** Every sealed column's values are under {@code kid} only. */
    static void allUnder(Map<String, Object> status, String kid) {
        assertEquals(0, ((Number) status.get("remaining")).intValue(), status.toString());
        for (Object column : ((Map<?, ?>) status.get("sealed_under")).values()) {
            ((Map<?, ?>) column).keySet().forEach(k -> assertEquals(kid, k, status.toString()));
        }
    }

    @Test
    void rotationWhenPreviousKeyAcceptedThenNothingLostAndEverythingMovesToTheNewKey() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        String issuer = TestDeployments.issuer();
        deployer.deploy("underA");
        Client client;
        String access;
        String refresh;
        String jwks;
        String kidA;
        try {
            client = LoginDriver.register("none");
            Map<String, Object> tokens = Http.json(LoginDriver.token(LoginDriver.codeExchange(client,
                    LoginDriver.code(client, "mcp:read"))));
            access = (String) tokens.get("access_token");
            refresh = (String) tokens.get("refresh_token");
            jwks = Http.get(issuer + "/.well-known/jwks.json").body();
            kidA = (String) status().get("current");
            assertEquals(List.of(kidA), status().get("accepted"));
        } finally {
            deployer.undeploy("underA");
        }

        deployer.deploy("rotatingToB");
        String kidB;
        try {
            Map<String, Object> status = resealed();
            kidB = (String) status.get("current");
            assertEquals(List.of(kidB, kidA), status.get("accepted"), "B writes, A is still read");
            allUnder(status, kidB);
            assertTrue(((Map<?, ?>) ((Map<?, ?>) status.get("sealed_under")).get("kinde_grant.tokens_enc"))
                    .get(kidB) instanceof Number, "the vault was moved: " + status);
            assertEquals(jwks, Http.get(issuer + "/.well-known/jwks.json").body(), "the same signing keys");
            assertEquals("read:notes", ((List<?>) McpCalls.whoami(issuer, access).get("permissions")).get(0),
                    "the access token and its vault row work");
            HttpResponse<String> rotated = LoginDriver.token(LoginDriver.refreshForm(client, refresh));
            assertEquals(200, rotated.statusCode(), rotated.body());
            refresh = (String) Http.json(rotated).get("refresh_token");
        } finally {
            deployer.undeploy("rotatingToB");
        }

        deployer.deploy("underB");
        try {
            allUnder(status(), kidB);
            assertEquals(List.of(kidB), status().get("accepted"), "A is gone");
            assertEquals(jwks, Http.get(issuer + "/.well-known/jwks.json").body(), "the signing keys, read with B");
            assertEquals("read:notes", ((List<?>) McpCalls.whoami(issuer, access).get("permissions")).get(0),
                    "the vault row, read with B");
            HttpResponse<String> rotated = LoginDriver.token(LoginDriver.refreshForm(client, refresh));
            assertEquals(200, rotated.statusCode(), "the refresh family: " + rotated.body());
            access = (String) Http.json(rotated).get("access_token");
        } finally {
            deployer.undeploy("underB");
        }

        deployer.deploy("rotatingToA");
        try {
            HttpResponse<String> reseal = admin("/admin/keys/master/reseal", true);
            assertEquals(200, reseal.statusCode(), reseal.body());
            Map<String, Object> answer = Http.json(reseal);
            assertEquals(0, ((Number) answer.get("failed")).intValue(), reseal.body());
            assertTrue(((Number) answer.get("resealed")).intValue() > 0 || ((Number) status().get("remaining"))
                    .intValue() == 0, reseal.body());
            allUnder(status(), kidA);
            assertEquals("read:notes", ((List<?>) McpCalls.whoami(issuer, access).get("permissions")).get(0));
            assertEquals(401, Http.send(HttpRequest.newBuilder(URI.create(issuer + "/admin/keys/master")).GET())
                    .statusCode(), "the operator's API needs the admin token");
            assertEquals(401, Http.send(HttpRequest.newBuilder(URI.create(issuer + "/admin/keys/master/reseal"))
                    .POST(HttpRequest.BodyPublishers.noBody()), "Authorization", "Bearer wrong-token-0123456789abcdef0123")
                    .statusCode(), "and refuses another token");
        } finally {
            deployer.undeploy("rotatingToA");
        }
    }
}
