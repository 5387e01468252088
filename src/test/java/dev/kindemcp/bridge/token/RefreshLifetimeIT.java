package dev.kindemcp.bridge.token;

import static dev.kindemcp.bridge.testsupport.LoginDriver.codeExchange;
import static dev.kindemcp.bridge.testsupport.LoginDriver.token;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Idle and absolute refresh-token lifetimes on a real Liberty, with lifetimes of seconds (RT-05).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RefreshLifetimeIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.refresh-token.idle-lifetime", "PT10S");
        config.put("bridge.refresh-token.absolute-lifetime", "PT16S");
        return TestDeployments.bridge(config);
    }

    private static String firstRefreshToken(LoginDriver.Client client) {
        return (String) TokenEndpointIT.ok(token(codeExchange(client, LoginDriver.code(client, "mcp:read"))))
                .get("refresh_token");
    }

    private static Map<String, String> refresh(LoginDriver.Client client, String rt) {
        return Map.of("grant_type", "refresh_token", "refresh_token", rt, "client_id", client.clientId());
    }

    @Test
    void refreshWhenIdleOrAbsoluteLifetimePassedThenInvalidGrant() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        LoginDriver.Client client = LoginDriver.register("none");
        String idle = firstRefreshToken(client);
        String busy = firstRefreshToken(client);
        Thread.sleep(6000);
        busy = (String) TokenEndpointIT.ok(token(refresh(client, busy))).get("refresh_token");
        Thread.sleep(6000);
        // about 12 s after login: past the idle lifetime of an unused token, within the absolute lifetime
        TokenEndpointIT.error(token(refresh(client, idle)), 400, "invalid_grant");
        busy = (String) TokenEndpointIT.ok(token(refresh(client, busy))).get("refresh_token");
        Thread.sleep(6000);
        // about 18 s after login: a token in steady use still ends at the absolute lifetime
        TokenEndpointIT.error(token(refresh(client, busy)), 400, "invalid_grant");
    }
}
