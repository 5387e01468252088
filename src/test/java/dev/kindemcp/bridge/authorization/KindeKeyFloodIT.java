package dev.kindemcp.bridge.authorization;

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
 * A flood of logins whose ID tokens name unknown signing keys, on a real Liberty with its own deployment (a
 * fresh key cache): every one refused, Kinde's JWKS refetched at most once per 30 s (UP-13).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KindeKeyFloodIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        return TestDeployments.bridge(config);
    }

    private static Map<String, String> login() {
        return KindeFaultsIT.login();
    }

    /** UP-13: many callbacks whose ID tokens name random unknown kids cause at most one JWKS refetch. */
    @Test
    void loginWhenManyIdTokensNameUnknownKidsThenRejectedWithRateLimitedJwksFetches() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        assertTrue(login().containsKey("code"), "keys cached by a normal login first");
        int fetches = kinde.requestCount(FakeKinde.JWKS_PATH);
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            String kid = dev.kindemcp.bridge.oauth.Secrets.random(12);
            kinde.forgeNextIdToken(claims -> kinde.sign(new com.nimbusds.jose.JWSHeader.Builder(
                    com.nimbusds.jose.JWSAlgorithm.RS256).keyID(kid).build(), claims));
            Map<String, String> response = login();
            assertFalse(response.containsKey("code"), "unknown kid " + kid);
        }
        long windows = 1 + java.time.Duration.ofNanos(System.nanoTime() - started).toSeconds() / 30;
        int extra = kinde.requestCount(FakeKinde.JWKS_PATH) - fetches;
        // UP-13: at most one refetch per 30 s, however many unknown kids arrive
        assertTrue(extra <= windows, "JWKS fetched " + extra + " more times in " + windows + " windows of 30 s");
    }

}
