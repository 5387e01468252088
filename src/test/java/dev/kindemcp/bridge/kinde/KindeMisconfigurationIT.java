package dev.kindemcp.bridge.kinde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.FakeTenant;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.BrowserSession;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.ServerLog;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Kinde set-up mistake is named: the user sees a page and the log a line that say which Kinde setting to
 * change (the API not enabled for the application, so Kinde sends {@code aud: []}; a wrong client secret),
 * and the client then receives {@code server_error}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KindeMisconfigurationIT {

    @Deployment(name = "bridge", managed = false)
    static WebArchive bridge() {
        return TestDeployments.bridge("misconfig-bridge", TestDeployments.unthrottledConfig());
    }

    @Deployment(name = "wrong-secret", managed = false)
    static WebArchive wrongSecret() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("kinde.client-secret", "not-the-secret-of-the-kinde-application");
        return TestDeployments.bridge("misconfig-wrong-secret", config);
    }

    @ArquillianResource
    Deployer deployer;

    /** The page after the Kinde login, its log lines, and the client's answer behind its link. */
    private static void assertNamed(String setting) {
        ServerLog log = ServerLog.mark();
        LoginDriver.Client client = LoginDriver.register("none");
        HttpResponse<String> page = LoginDriver.callback(client, "mcp:read");
        assertEquals(502, page.statusCode(), page.body());
        assertTrue(page.body().contains(setting.replace("'", "&#39;")) || page.body().contains(setting),
                "the page names <" + setting + ">: " + page.body());
        assertTrue(log.sinceMark().contains(setting), "the log names <" + setting + ">:\n" + log.sinceMark());
        Matcher link = Pattern.compile("href=\"([^\"]+)\"").matcher(page.body().substring(page.body().indexOf("<main>")));
        assertTrue(link.find(), page.body());
        assertEquals("server_error", BrowserSession.query(link.group(1).replace("&amp;", "&")).get("error"));
    }

    @Test
    void loginWhenApiNotEnabledForTheApplicationThenPageAndLogNameTheKindeSetting() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        kinde.setTenant(FakeTenant.kindeDefaults().withUnauthorizedAudience("https://api.example.test"));
        deployer.deploy("bridge");
        try {
            assertNamed("enable the API 'https://api.example.test' for the application '" + TestKinde.CLIENT_ID + "'");
        } finally {
            deployer.undeploy("bridge");
        }
    }

    @Test
    void loginWhenClientSecretWrongThenPageAndLogNameTheSettings() {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        deployer.deploy("wrong-secret");
        try {
            assertNamed("set KINDE_CLIENT_ID and KINDE_CLIENT_SECRET to the client id and secret of the Kinde "
                    + "back-end application '" + TestKinde.CLIENT_ID + "'");
        } finally {
            deployer.undeploy("wrong-secret");
        }
    }
}
