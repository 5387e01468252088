package dev.kindemcp.bridge.kinde.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * DevKinde accepts the bridge's callback under both loopback names and announces itself loudly.
 */
class DevKindeTest {

    @Test
    void callbacksWhenIssuerIsLocalhostThenBothLoopbackNamesAllowed() {
        assertEquals(Set.of("http://localhost:9080/kinde/callback", "http://127.0.0.1:9080/kinde/callback"),
                DevKinde.callbacks("http://localhost:9080"));
    }

    @Test
    void callbacksWhenIssuerHasOtherPortThenItsTwinAndTheDefaultAllowed() {
        assertEquals(Set.of("http://127.0.0.1:8443/kinde/callback", "http://localhost:8443/kinde/callback",
                "http://127.0.0.1:9080/kinde/callback"), DevKinde.callbacks("http://127.0.0.1:8443/"));
    }

    @Test
    void bannerWhenStartedThenSaysDevelopmentAndListsUrlAndUsers() {
        try (FakeKinde kinde = FakeKinde.start()) {
            String banner = DevKinde.banner(kinde, KindeDemoData.bridgeApp());

            assertTrue(banner.contains("DEVELOPMENT IDENTITY PROVIDER"));
            assertTrue(banner.contains(kinde.issuer()));
            assertTrue(banner.contains("alice@example.com in org_acme,org_globex"));
            assertTrue(banner.contains("demo M2M app: demo-m2m-agent / demo-m2m-agent-secret"), banner);
            assertEquals(1, banner.lines().count());
        }
    }
}
