package dev.kindemcp.bridge.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MicroProfile Health on a real Liberty (issue 15.1): ready once the database answers, a signing key is loaded
 * and Kinde's keys were fetched; live and started. The database and restart cases are in ResilienceIT.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HealthIT {

    @Deployment
    static WebArchive deployment() {
        dev.kindemcp.bridge.testsupport.TestKinde.get(); // Kinde answers from the application's start
        return TestDeployments.bridge();
    }

    /** The checks of one health endpoint by name, once its status is {@code status} (within 15 s). */
    static Map<String, Object> checks(String path, int status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        HttpResponse<String> response = Http.get(TestDeployments.management() + path);
        while (response.statusCode() != status && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            response = Http.get(TestDeployments.management() + path);
        }
        assertEquals(status, response.statusCode(), path + ": " + response.body());
        Map<String, Object> byName = new java.util.TreeMap<>();
        for (Object check : (List<?>) Http.json(response).get("checks")) {
            Map<?, ?> c = (Map<?, ?>) check;
            byName.put((String) c.get("name"), c);
        }
        return byName;
    }

    @Test
    void healthWhenRunningThenReadyLiveAndStartedWithTheBridgesChecks() throws Exception {
        Map<String, Object> ready = checks("/health/ready", 200);
        assertEquals(List.of("database", "kinde", "signing-keys"), List.copyOf(ready.keySet()), ready.toString());
        for (Object check : ready.values()) {
            assertEquals("UP", ((Map<?, ?>) check).get("status"), ready.toString());
        }
        assertTrue(((Map<?, ?>) ((Map<?, ?>) ready.get("kinde")).get("data")).containsKey("keys_fetched_at"),
                "when Kinde's keys were fetched: " + ready);
        assertEquals("UP", ((Map<?, ?>) checks("/health/live", 200).get("running")).get("status"));
        assertEquals("UP", ((Map<?, ?>) checks("/health/started", 200).get("started")).get("status"));
    }
}
