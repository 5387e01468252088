package dev.kindemcp.bridge.authorization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
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
 * Kinde's signing keys changing or its JWKS going away during logins, on a real Liberty with its own deployment
 * (a fresh key cache): one refetch for a new key, logins survive an outage with cached keys, unknown keys
 * fail closed (UP-10, UP-11, UP-12).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KindeKeyRotationIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        return TestDeployments.bridge(config);
    }

    private static Map<String, String> login() {
        return KindeFaultsIT.login();
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

}
