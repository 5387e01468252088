package dev.kindemcp.bridge.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import dev.kindemcp.bridge.tools.otherwar.InventoryApplication;
import dev.kindemcp.bridge.tools.otherwar.InventoryOrganisationFilter;
import dev.kindemcp.bridge.tools.otherwar.InventoryResource;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's recipe for a JAX-RS API in another WAR on the same server: its own MicroProfile JWT properties
 * (Kinde issuer, API audience, the bridge's cached Kinde keys) and {@code @RolesAllowed} with a Kinde
 * permission, and a small filter of its own for the organisation allowlist; its URL contains {@code /api/}, so
 * the server's {@code toolApis} filter covers it.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OtherWarToolApiIT {

    static final String AUDIENCE = "https://api.example.test";

    @Deployment(name = "bridge", order = 1)
    static WebArchive bridge() {
        return TestDeployments.bridge(TestDeployments.unthrottledConfig());
    }

    @Deployment(name = "inventory", order = 2)
    static WebArchive inventory() {
        StringBuilder config = new StringBuilder("kinde.allowed-org-codes=" + KindeDemoData.ORG_ACME + "\n");
        TestDeployments.toolApiJwtConfig().forEach((k, v) -> config.append(k).append('=').append(v).append('\n'));
        return TestDeployments.onPublicPort(ShrinkWrap.create(WebArchive.class, "inventory.war")
                .addClasses(InventoryApplication.class, InventoryResource.class, InventoryOrganisationFilter.class)
                .addAsResource(new StringAsset(config.toString()), "META-INF/microprofile-config.properties"));
    }

    static HttpResponse<String> items(String token) {
        String url = TestDeployments.issuer() + "/inventory/api/items";
        return token == null ? Http.get(url) : Http.get(url, "Authorization", "Bearer " + token);
    }

    @Test
    void otherWarWhenKindeTokenWithPermissionThen200WithoutIt403WithoutToken401() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        HttpResponse<String> ok = items(kinde.issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME,
                AUDIENCE));
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(kinde.issuer(), Http.json(ok).get("issuer"));
        assertEquals(KindeDemoData.ALICE_ID, Http.json(ok).get("subject"));
        assertEquals(403, items(kinde.issueUserAccessToken(KindeDemoData.CAROL_ID, KindeDemoData.ORG_GLOBEX,
                AUDIENCE)).statusCode(), "Carol lacks read:notes");
        assertEquals(403, items(kinde.issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_GLOBEX,
                AUDIENCE)).statusCode(), "Alice may read in Globex, but Globex is not on the WAR's allowlist");
        HttpResponse<String> none = items(null);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
                none.headers().map().toString());
        assertEquals(401, items(kinde.issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME,
                "https://other-api.example")).statusCode(), "another API's audience");
    }
}
