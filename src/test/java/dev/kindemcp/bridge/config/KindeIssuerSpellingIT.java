package dev.kindemcp.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.ServerLog;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.http.HttpResponse;
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
 * One issuer spelling on a real Liberty: {@code kinde.domain} written with a trailing slash and an upper-case
 * scheme still gives the tool APIs' MicroProfile JWT Kinde's own issuer (Kinde's {@code iss} has no trailing
 * slash); an explicit {@code mp.jwt.verify.issuer} that still differs stops the application with one line that
 * names the three values.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KindeIssuerSpellingIT {

    static final String AUDIENCE = "https://api.example.test";

    /** The domain as an operator might write it; no mp.jwt.verify.issuer of its own. */
    static Map<String, String> sloppyDomain() {
        Map<String, String> config = TestDeployments.baseConfig();
        config.put("kinde.domain", "HTTP://127.0.0.1:" + TestDeployments.fakeKindePort() + "/");
        config.remove("mp.jwt.verify.issuer");
        return config;
    }

    @Deployment(name = "sloppy-domain", managed = false)
    static WebArchive sloppy() {
        return TestDeployments.bridge("sloppy-domain", sloppyDomain());
    }

    @Deployment(name = "explicit-mismatch", managed = false)
    static WebArchive explicitMismatch() {
        Map<String, String> config = sloppyDomain();
        config.put("mp.jwt.verify.issuer", "http://127.0.0.1:" + TestDeployments.fakeKindePort() + "/");
        return TestDeployments.bridge("explicit-mismatch", config);
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    void toolApiWhenKindeDomainHasTrailingSlashThenKindeTokensAccepted() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        deployer.deploy("sloppy-domain");
        try {
            String token = kinde.issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME, AUDIENCE);
            HttpResponse<String> notes = Http.get(TestDeployments.issuer() + "/api/notes", "Authorization",
                    "Bearer " + token);
            assertEquals(200, notes.statusCode(), notes.body());
            Map<String, Object> md = Http.json(Http.get(TestDeployments.issuer()
                    + "/.well-known/oauth-authorization-server"));
            assertEquals(TestDeployments.issuer(), md.get("issuer"));
        } finally {
            deployer.undeploy("sloppy-domain");
        }
    }

    @Test
    void deployWhenToolApiIssuerStillDiffersThenStartupFailsNamingTheThreeValues() {
        ServerLog log = ServerLog.mark();
        try {
            assertThrows(Exception.class, () -> deployer.deploy("explicit-mismatch"));
            String kindeIssuer = "http://127.0.0.1:" + TestDeployments.fakeKindePort();
            String expected = "kinde-mcp-bridge configuration error: kinde.domain (KINDE_DOMAIN): the Kinde issuer is "
                    + "spelled three ways: kinde.domain gives '" + kindeIssuer + "', the tool APIs' mp.jwt.verify.issuer "
                    + "is '" + kindeIssuer + "/', Kinde's discovery document announces '" + kindeIssuer + "'";
            String messages = log.sinceMark();
            assertTrue(messages.contains(expected), "expected <" + expected + "> in:\n" + messages);
            assertEquals(404, Http.get(TestDeployments.issuer() + "/.well-known/oauth-authorization-server")
                    .statusCode(), "nothing is served");
        } finally {
            deployer.undeploy("explicit-mismatch");
        }
    }
}
