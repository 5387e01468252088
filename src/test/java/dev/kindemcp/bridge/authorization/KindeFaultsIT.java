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
 * Defective Kinde ID tokens during logins on a real Liberty end in server_error, never in a code (UP-08).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KindeFaultsIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        return TestDeployments.bridge(config);
    }

    /** One login from authorize to the client redirect; returns the redirect's parameters. */
    static Map<String, String> login() {
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
    void loginWhenIdTokenDefectiveThenServerErrorAndNoCode() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        assertTrue(login().containsKey("code"), "a sound ID token is accepted, so the refusals below are the defects'");
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
