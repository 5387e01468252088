package dev.kindemcp.bridge.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.testsupport.TestDeployments;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A bridge whose Kinde cannot be reached is not ready, and says why; the database and keys stay UP. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HealthKindeUnreachableIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.baseConfig();
        config.put("kinde.domain", "http://127.0.0.1:9");  // discard port: nothing answers
        config.put("mp.jwt.verify.issuer", "http://127.0.0.1:9");
        return TestDeployments.bridge(config);
    }

    @Test
    void readinessWhenKindeUnreachableThenDownWithTheReason() throws Exception {
        Map<String, Object> ready = HealthIT.checks("/health/ready", 503);
        Map<?, ?> kinde = (Map<?, ?>) ready.get("kinde");
        assertEquals("DOWN", kinde.get("status"), ready.toString());
        assertTrue(String.valueOf(kinde.get("data")).contains("last_error"), ready.toString());
        assertEquals("UP", ((Map<?, ?>) ready.get("database")).get("status"), ready.toString());
        assertEquals("UP", ((Map<?, ?>) ready.get("signing-keys")).get("status"), ready.toString());
    }
}
