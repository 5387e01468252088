package dev.kindemcp.bridge.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.McpCalls;
import dev.kindemcp.bridge.testsupport.TestDatabase;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rotating the signing key on an operator's request (issue 15.5): the published next key signs at once, tokens
 * of the old key keep working, a second rotation while the old key is kept is refused with 409, and the API
 * needs the admin token.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminKeysIT {

    static final String ADMIN_TOKEN = "admin-token-for-the-key-tests-0123456789";

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.admin-token", ADMIN_TOKEN);
        dev.kindemcp.bridge.testsupport.TestKinde.get(); // Kinde answers from the application's start
        return TestDeployments.bridge(config);
    }

    static HttpResponse<String> admin(String path, String token, boolean post) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestDeployments.issuer() + "/admin/keys" + path));
        request = post ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
        return token == null ? Http.send(request) : Http.send(request, "Authorization", "Bearer " + token);
    }

    static String kid(String accessToken) throws Exception {
        return SignedJWT.parse(accessToken).getHeader().getKeyID();
    }

    @Test
    void rotateWhenOperatorAsksThenNextKeySignsOldTokensWorkAndSecondRotationWaits() throws Exception {
        assertEquals(401, admin("", null, false).statusCode());
        assertEquals(401, admin("/rotate", "wrong-token", true).statusCode());
        HttpResponse<String> twice = Http.send(HttpRequest.newBuilder(URI.create(TestDeployments.issuer()
                + "/admin/keys")).GET(), "Authorization", "Bearer " + ADMIN_TOKEN, "Authorization", "Bearer other");
        assertEquals(400, twice.statusCode(), "two Authorization headers are refused, not one believed: " + twice.body());

        // earlier tests may have rotated: let the keys' history lie a day back, so that no previous key is kept
        try (Connection db = TestDatabase.connect(); Statement s = db.createStatement()) {
            long now = System.currentTimeMillis();
            s.executeUpdate("UPDATE signing_key SET activates_at = activates_at - 86400000 WHERE activates_at <= " + now);
        }
        String before = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        Map<String, Object> state = Http.json(admin("", ADMIN_TOKEN, false));
        List<?> published = (List<?>) state.get("published");
        String next = (String) published.stream().filter(k -> !k.equals(state.get("current"))).findFirst().orElseThrow();

        HttpResponse<String> rotated = admin("/rotate", ADMIN_TOKEN, true);
        assertEquals(200, rotated.statusCode(), rotated.body());
        Map<String, Object> after = Http.json(rotated);
        assertEquals(next, after.get("current"), "the published next key signs now: " + after);
        assertTrue(((List<?>) after.get("published")).contains(kid(before)), "the old key stays published: " + after);
        assertEquals(3, ((List<?>) after.get("published")).size(), "previous, current and a new next: " + after);

        String afterwards = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        assertEquals(next, kid(afterwards));
        assertNotEquals(kid(before), kid(afterwards));
        assertEquals(KindeDemoData.ALICE_ID, McpCalls.whoami(TestDeployments.issuer(), afterwards).get("subject"));
        assertEquals(KindeDemoData.ALICE_ID, McpCalls.whoami(TestDeployments.issuer(), before).get("subject"),
                "a token of the old key still works");

        HttpResponse<String> again = admin("/rotate", ADMIN_TOKEN, true);
        assertEquals(409, again.statusCode(), again.body());
        assertEquals("rotation_refused", Http.json(again).get("error"));
        assertTrue(Http.json(again).containsKey("possible_at"), again.body());
    }
}
