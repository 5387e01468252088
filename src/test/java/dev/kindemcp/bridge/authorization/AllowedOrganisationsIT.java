package dev.kindemcp.bridge.authorization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.BrowserSession;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kinde.allowed-org-codes}: a login into another organisation ends in access_denied (UP-09, RS-21 at
 * login).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AllowedOrganisationsIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.baseConfig();
        config.put("kinde.allowed-org-codes", KindeDemoData.ORG_ACME);
        return TestDeployments.bridge(config);
    }

    private static Map<String, String> loginAs(String user, String org) {
        TestKinde.reset(user, org);
        BrowserSession browser = new BrowserSession();
        String clientId = AuthorizationFlowIT.register("Org test", "http://127.0.0.1/callback");
        HttpResponse<String> page = browser.get(AuthorizationFlowIT.authorizeUrl(clientId, "http://127.0.0.1/callback", ""));
        assertEquals(200, page.statusCode(), page.body());
        Map<String, String> form = new LinkedHashMap<>(BrowserSession.formFields(page.body()));
        form.put("decision", "approve");
        HttpResponse<String> approved = browser.postForm(TestDeployments.issuer() + "/authorize/consent", form,
                "Origin", TestDeployments.issuer());
        HttpResponse<String> atKinde = browser.get(approved.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> callback = browser.get(atKinde.headers().firstValue("Location").orElseThrow());
        assertEquals(302, callback.statusCode(), callback.body());
        return BrowserSession.query(callback.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void loginWhenOrganisationNotAllowedThenAccessDenied() {
        Map<String, String> response = loginAs(KindeDemoData.CAROL_ID, KindeDemoData.ORG_GLOBEX);
        assertEquals("access_denied", response.get("error"));
        assertEquals(TestDeployments.issuer(), response.get("iss"));
    }

    @Test
    void machineWhenOrganisationNotAllowedThenUnauthorizedClient() {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        java.net.http.HttpResponse<String> globex = dev.kindemcp.bridge.testsupport.LoginDriver.token(
                Map.of("grant_type", "client_credentials"), "Authorization",
                dev.kindemcp.bridge.testsupport.LoginDriver.basic(TestKinde.GLOBEX_AGENT_ID, TestKinde.AGENT_SECRET));
        assertEquals(400, globex.statusCode(), globex.body());
        assertEquals("unauthorized_client", dev.kindemcp.bridge.testsupport.Http.json(globex).get("error"));
        java.net.http.HttpResponse<String> acme = dev.kindemcp.bridge.testsupport.LoginDriver.token(
                Map.of("grant_type", "client_credentials"), "Authorization",
                dev.kindemcp.bridge.testsupport.LoginDriver.basic(TestKinde.AGENT_ID, TestKinde.AGENT_SECRET));
        assertEquals(200, acme.statusCode(), acme.body());
    }

    /** A user of no organisation, with an allowlist: a page that says why, then access_denied for the client. */
    @Test
    void loginWhenUserBelongsToNoOrganisationAndAllowlistSetThenPageSaysWhy() {
        TestKinde.reset(KindeDemoData.DAVE_ID, "");
        dev.kindemcp.bridge.testsupport.LoginDriver.Client client =
                dev.kindemcp.bridge.testsupport.LoginDriver.register("none");
        HttpResponse<String> page = dev.kindemcp.bridge.testsupport.LoginDriver.callback(client, "mcp:read");
        assertEquals(403, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("does not belong to any organisation"), page.body());
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("href=\"([^\"]+)\"").matcher(page.body()
                .substring(page.body().indexOf("<main>")));
        assertTrue(link.find(), page.body());
        Map<String, String> back = BrowserSession.query(link.group(1).replace("&amp;", "&"));
        assertEquals("access_denied", back.get("error"));
        assertEquals(TestDeployments.issuer(), back.get("iss"));
        assertEquals("st", back.get("state"));
    }

    @Test
    void loginWhenOrganisationAllowedThenCode() {
        assertTrue(loginAs(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME).containsKey("code"));
    }
}
