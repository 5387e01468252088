package dev.kindemcp.bridge.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RS-21: {@code kinde.allowed-org-codes} at the MCP endpoint (bridge tokens) and at the tool APIs (Kinde user
 * and M2M tokens). A Globex user's bridge token is minted while every organisation is allowed; the bridge is
 * then redeployed with only Acme allowed (its signing keys persist, so the token still verifies).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OrganisationAllowlistIT {

    static final String OPEN = "open";
    static final String ACME_ONLY = "acme-only";
    static final String AUDIENCE = "https://api.example.test";
    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}";

    @Deployment(name = OPEN, managed = false)
    static WebArchive open() {
        return TestDeployments.bridge("bridge-open", TestDeployments.unthrottledConfig());
    }

    @Deployment(name = ACME_ONLY, managed = false)
    static WebArchive acmeOnly() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("kinde.allowed-org-codes", KindeDemoData.ORG_ACME);
        return TestDeployments.bridge("bridge-acme-only", config);
    }

    @ArquillianResource
    Deployer deployer;


    static HttpResponse<String> mcp(String token) {
        return Http.send(HttpRequest.newBuilder(URI.create(TestDeployments.issuer() + "/mcp"))
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)), "Content-Type", "application/json",
                "Accept", "application/json, text/event-stream", "Authorization", "Bearer " + token);
    }

    static int notes(String kindeToken) {
        return Http.get(TestDeployments.issuer() + "/api/notes", "Authorization", "Bearer " + kindeToken).statusCode();
    }

    @Test
    void requestsWhenOrganisationOutsideTheAllowlistThen403AtMcpAndToolApis() {
        String globexBridge;
        String acmeBridge;
        deployer.deploy(OPEN);
        try {
            globexBridge = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_GLOBEX);
            acmeBridge = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
            assertEquals(200, mcp(globexBridge).statusCode(), "every organisation is allowed at first");
        } finally {
            deployer.undeploy(OPEN);
        }
        deployer.deploy(ACME_ONLY);
        try {
            assertEquals(403, mcp(globexBridge).statusCode(), "RS-21 at /mcp: Globex is not allowed");
            assertEquals(200, mcp(acmeBridge).statusCode(), "Acme still is");

            FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
            assertEquals(200, notes(kinde.issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME,
                    AUDIENCE)));
            assertEquals(403, notes(kinde.issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_GLOBEX,
                    AUDIENCE)), "RS-21 at a tool API: a user of Globex");
            assertEquals(403, notes(kinde.sign(kinde.m2mAccessTokenClaims(TestKinde.GLOBEX_AGENT_ID, AUDIENCE,
                    KindeDemoData.READ_NOTES))), "RS-25: the allowlist applies to system actors too");
            assertEquals(200, notes(kinde.sign(kinde.m2mAccessTokenClaims(TestKinde.AGENT_ID, AUDIENCE,
                    KindeDemoData.READ_NOTES))), "an Acme agent");
        } finally {
            deployer.undeploy(ACME_ONLY);
        }
    }
}
