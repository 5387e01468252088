package dev.kindemcp.bridge.authorization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.BrowserSession;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kinde's keys and ID tokens going wrong during logins on a real Liberty (UP-08, UP-10, UP-11, UP-12): bad ID
 * tokens end in server_error, Kinde's key rotation is followed with one refetch, a JWKS outage is survived
 * with cached keys and fails closed for unknown ones.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KindeFaultsIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.baseConfig();
        config.put("bridge.registration.rate-per-minute", "100000");
        return TestDeployments.bridge(config);
    }

    /** One login from authorize to the client redirect; returns the redirect's parameters. */
    private static Map<String, String> login() {
        LoginDriver.Client client = LoginDriver.register("none");
        BrowserSession browser = new BrowserSession();
        HttpResponse<String> page = browser.get(LoginDriver.url("/authorize?response_type=code&client_id="
                + LoginDriver.enc(client.clientId()) + "&redirect_uri=" + LoginDriver.enc(LoginDriver.REDIRECT)
                + "&code_challenge=" + LoginDriver.CHALLENGE + "&code_challenge_method=S256&state=k&scope=mcp%3Aread"));
        Map<String, String> form = new LinkedHashMap<>(BrowserSession.formFields(page.body()));
        form.put("decision", "approve");
        HttpResponse<String> approved = browser.postForm(LoginDriver.url("/authorize/consent"), form, "Origin",
                TestDeployments.issuer());
        HttpResponse<String> atKinde = browser.get(approved.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> callback = browser.get(atKinde.headers().firstValue("Location").orElseThrow());
        assertEquals(302, callback.statusCode(), callback.body());
        Map<String, String> response = BrowserSession.query(callback.headers().firstValue("Location").orElseThrow());
        assertEquals(TestDeployments.issuer(), response.get("iss"));
        return response;
    }

    @Test
    void loginWhenKindeRotatesOrLosesItsKeysThenRefetchOnceSurviveOutageAndFailClosed() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        assertTrue(login().containsKey("code"));
        int fetches = kinde.requestCount(FakeKinde.JWKS_PATH);
        kinde.rotateKeys();
        assertTrue(login().containsKey("code"), "UP-12: a new kid is fetched and accepted");
        assertEquals(fetches + 1, kinde.requestCount(FakeKinde.JWKS_PATH), "one refetch for the new kid");
        kinde.failAlways(FakeKinde.JWKS_PATH, 503);
        try {
            assertTrue(login().containsKey("code"), "UP-10: the cached kid still verifies while the JWKS is down");
            kinde.rotateKeys();
            Map<String, String> closed = login();
            assertFalse(closed.containsKey("code"), "UP-11: an unknown kid with the JWKS down fails closed");
            assertTrue(closed.get("error").equals("server_error") || closed.get("error").equals("temporarily_unavailable"),
                    closed.toString());
        } finally {
            kinde.clearFaults();
        }
    }

    @Test
    void loginWhenIdTokenDefectiveThenServerErrorAndNoCode() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        for (Map.Entry<String, Object> defect : Map.<String, Object>of("nonce", "not-the-nonce", "aud",
                java.util.List.of("another-client"), "iss", "https://evil.example").entrySet()) {
            kinde.forgeNextIdToken(claims -> {
                Map<String, Object> forged = new HashMap<>(claims);
                forged.put(defect.getKey(), defect.getValue());
                return kinde.sign(forged);
            });
            Map<String, String> response = login();
            assertEquals("server_error", response.get("error"), "UP-08 " + defect.getKey());
            assertFalse(response.containsKey("code"));
        }
    }
}
