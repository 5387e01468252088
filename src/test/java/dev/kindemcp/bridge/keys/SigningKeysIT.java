package dev.kindemcp.bridge.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JWKS endpoint and key persistence on a real Liberty and database (MD-03, DB-07): public members only,
 * unique kids, and the same keys after the application restarts.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SigningKeysIT {

    static final String BRIDGE = "bridge";

    @Deployment(name = BRIDGE, managed = false)
    static WebArchive deployment() {
        return TestDeployments.bridge();
    }

    @ArquillianResource
    Deployer deployer;

    private static String jwksUrl() {
        return TestDeployments.issuer() + "/.well-known/jwks.json";
    }

    private static JWKSet fetch() throws Exception {
        HttpResponse<String> response = Http.get(jwksUrl());
        assertEquals(200, response.statusCode(), response.body());
        return JWKSet.parse(response.body());
    }

    @Test
    void restartWhenKeysPublishedThenJwksOnlyPublicUniqueAndSameAfterRestart() throws Exception {
        deployer.deploy(BRIDGE);
        JWKSet before;
        try {
            HttpResponse<String> response = Http.get(jwksUrl());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").contains("json"));
            Map<String, Object> raw = Http.json(response);
            assertEquals(Set.of("keys"), raw.keySet());
            for (Object key : (List<?>) raw.get("keys")) {
                Set<String> members = ((Map<?, ?>) key).keySet().stream().map(Object::toString)
                        .collect(Collectors.toSet());
                assertEquals(Set.of("kty", "n", "e", "kid", "alg", "use"), members, "public RSA members only");
            }
            before = JWKSet.parse(response.body());
            List<String> kids = before.getKeys().stream().map(JWK::getKeyID).toList();
            assertEquals(kids.size(), Set.copyOf(kids).size(), "every kid is unique");
            assertTrue(kids.size() >= 2 && kids.size() <= 3, "current and next (and previous): " + kids);
            for (JWK jwk : before.getKeys()) {
                assertFalse(jwk.isPrivate());
            }
        } finally {
            deployer.undeploy(BRIDGE);
        }
        deployer.deploy(BRIDGE);
        try {
            JWKSet after = fetch();
            assertEquals(before.toJSONObject(true), after.toJSONObject(true), "keys survive the restart unchanged");
        } finally {
            deployer.undeploy(BRIDGE);
        }
    }
}
