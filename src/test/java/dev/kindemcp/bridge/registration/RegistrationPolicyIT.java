package dev.kindemcp.bridge.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.TestDeployments;
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
 * Abuse controls of open registration on a real Liberty: the per-source rate limit (REG-19) and the initial
 * access token that closes open registration.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RegistrationPolicyIT {

    static final String INITIAL_TOKEN = "initial-access-token-for-tests-0123456789";

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.baseConfig();
        config.put("bridge.registration.rate-per-minute", "20");
        config.put("bridge.registration.initial-access-token", INITIAL_TOKEN);
        return TestDeployments.bridge(config);
    }

    static HttpResponse<String> post(String... headers) {
        return Http.send(HttpRequest.newBuilder(URI.create(TestDeployments.issuer() + "/register"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"redirect_uris\":[\"https://c.example/cb\"]}")), headers);
    }

    @Test
    void registerWhenInitialAccessTokenConfiguredThenOpenRegistrationClosedAndRateLimited() {
        HttpResponse<String> anonymous = post("Content-Type", "application/json");
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        HttpResponse<String> wrong = post("Content-Type", "application/json", "Authorization", "Bearer wrong");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));

        int created = 0;
        int limited = 0;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = post("Content-Type", "application/json", "Authorization", "Bearer " + INITIAL_TOKEN,
                    "X-Forwarded-For", "198.51.100." + i);
            if (r.statusCode() == 201) {
                created++;
            } else {
                assertEquals(429, r.statusCode(), r.body());
                assertTrue(Integer.parseInt(r.headers().firstValue("Retry-After").orElse("0")) >= 1);
                assertEquals("temporarily_unavailable", Http.json(r).get("error"));
                limited++;
            }
        }
        // X-Forwarded-For from an untrusted peer is ignored: all 100 count against 127.0.0.1
        assertTrue(created <= 22 && created >= 18, "about 20 per minute, got " + created);
        assertEquals(100 - created, limited);
    }
}
