package dev.kindemcp.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.ServerLog;
import dev.kindemcp.bridge.testsupport.TestDeployments;
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
 * A wrong configuration stops the application on a real Liberty, with one clear line that names the property.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConfigurationValidationIT {

    @Deployment(name = "http-issuer", managed = false)
    static WebArchive httpIssuer() {
        return with("http-issuer", "bridge.issuer", "http://mcp.example.com");
    }

    @Deployment(name = "short-master-key", managed = false)
    static WebArchive shortMasterKey() {
        return with("short-master-key", "bridge.master-key", "AQIDBA==");
    }

    @Deployment(name = "no-kinde-client", managed = false)
    static WebArchive noKindeClient() {
        return with("no-kinde-client", "kinde.client-id", "");
    }

    private static WebArchive with(String name, String property, String value) {
        Map<String, String> config = TestDeployments.baseConfig();
        config.put(property, value);
        return TestDeployments.bridge(name, config);
    }

    @ArquillianResource
    Deployer deployer;

    private void assertStartupFails(String deployment, String expectedLine) {
        ServerLog log = ServerLog.mark();
        try {
            assertThrows(Exception.class, () -> deployer.deploy(deployment));
            String messages = log.sinceMark();
            assertTrue(messages.contains(expectedLine), "expected <" + expectedLine + "> in:\n" + messages);
            assertEquals(404, Http.get(TestDeployments.issuer() + "/.well-known/oauth-authorization-server")
                    .statusCode(), "nothing is served");
        } finally {
            deployer.undeploy(deployment);
        }
    }

    @Test
    void deployWhenIssuerIsPlainHttpOnAPublicHostThenStartupFailsNamingBridgeIssuer() {
        assertStartupFails("http-issuer", "kinde-mcp-bridge configuration error: bridge.issuer (BRIDGE_ISSUER): "
                + "must use https (http is accepted for loopback hosts only): 'http://mcp.example.com'");
    }

    @Test
    void deployWhenMasterKeyTooShortThenStartupFailsNamingMasterKey() {
        assertStartupFails("short-master-key", "kinde-mcp-bridge configuration error: bridge.master-key "
                + "(BRIDGE_MASTER_KEY): must decode to 32 bytes (256 bits), not 4");
    }

    @Test
    void deployWhenKindeClientMissingOutsideDevModeThenStartupFailsNamingKindeClientId() {
        assertStartupFails("no-kinde-client", "kinde-mcp-bridge configuration error: kinde.client-id "
                + "(KINDE_CLIENT_ID): is required outside dev mode");
    }
}
