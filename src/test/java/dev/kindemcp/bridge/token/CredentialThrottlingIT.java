package dev.kindemcp.bridge.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Credential guessing and registration floods are throttled wherever they enter (security catalogue TK-17,
 * REG-19), on a real Liberty behind a declared reverse proxy (the test client), so that each case can come from
 * the addresses it needs.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CredentialThrottlingIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.baseConfig();
        config.put("bridge.trusted-proxies", "127.0.0.1, ::1");
        config.put("bridge.registration.rate-per-minute", "5");
        // a per-instance limit set to a cluster budget divided by the instances (src/site/markdown/cluster.md)
        config.put("bridge.client-authentication.failures-per-minute", String.valueOf(FAILURES));
        return TestDeployments.bridge(config);
    }

    /** The configured failure allowance (the default is {@link ClientAuthenticator#FAILURES_PER_MINUTE}). */
    static final int FAILURES = 4;

    static HttpResponse<String> register(String from) {
        return Http.send(HttpRequest.newBuilder(URI.create(LoginDriver.url("/register")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"redirect_uris\":[\"" + LoginDriver.REDIRECT
                        + "\"],\"token_endpoint_auth_method\":\"none\"}")),
                "Content-Type", "application/json", "X-Forwarded-For", from);
    }

    /** REG-19 with IPv6: rotating addresses inside one /64 shares one allowance; another /64 has its own. */
    @Test
    void registerWhenAddressesRotateWithinOneIpv6Slash64ThenRateLimited() {
        for (int i = 1; i <= 5; i++) {
            assertEquals(201, register("2001:db8:1:2::" + Integer.toHexString(i)).statusCode());
        }
        HttpResponse<String> limited = register("2001:db8:1:2:ffff:ffff:ffff:fff" + "e");
        assertEquals(429, limited.statusCode(), limited.body());
        assertTrue(limited.headers().firstValue("Retry-After").isPresent());
        assertEquals(201, register("2001:db8:1:3::1").statusCode(), "another /64 is another source");
    }

    /**
     * TK-17 for Kinde M2M credentials: a client id the bridge does not know goes to Kinde as an M2M application;
     * its failures count per source whatever id is named, and once throttled nothing more reaches Kinde.
     */
    @Test
    void clientCredentialsWhenUnknownClientIdsGuessedThenThrottledBeforeKinde() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        String from = "203.0.113.50";
        for (int i = 0; i < FAILURES; i++) {
            HttpResponse<String> refused = guess("guessed-m2m-" + i, from);
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals("invalid_client", Http.json(refused).get("error"));
        }
        int atKinde = kinde.requestCount(FakeKinde.TOKEN_PATH);
        HttpResponse<String> throttled = guess("guessed-m2m-next", from);
        assertEquals(429, throttled.statusCode(), throttled.body());
        assertEquals("temporarily_unavailable", Http.json(throttled).get("error"));
        assertTrue(Integer.parseInt(throttled.headers().firstValue("Retry-After").orElse("0")) >= 1);
        assertEquals(atKinde, kinde.requestCount(FakeKinde.TOKEN_PATH), "a throttled guess does not reach Kinde");
        assertEquals(401, guess("guessed-m2m-other-source", "203.0.113.51").statusCode(),
                "another source is not throttled");
    }

    private static HttpResponse<String> guess(String clientId, String from) {
        return LoginDriver.token(Map.of("grant_type", "client_credentials"), "Authorization",
                LoginDriver.basic(clientId, "not-the-secret"), "X-Forwarded-For", from);
    }
}
