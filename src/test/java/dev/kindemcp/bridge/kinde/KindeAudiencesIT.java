package dev.kindemcp.bridge.kinde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.FakeTenant;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.kinde.fake.RecordedRequest;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several Kinde APIs behind one bridge: {@code kinde.audience} lists them (commas or spaces); every login asks
 * Kinde for each, the tool APIs' MicroProfile JWT accepts each (its audiences come from the same setting), and an
 * API not enabled for the application is named at login.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KindeAudiencesIT {

    static final String NOTES = "https://api.example.test";
    static final String ORDERS = dev.kindemcp.bridge.kinde.orders.OrdersResource.AUDIENCE;

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("kinde.audience", NOTES + ", " + ORDERS);
        config.remove("mp.jwt.verify.audiences");
        return TestDeployments.bridge("audiences", config).addClasses(
                dev.kindemcp.bridge.kinde.orders.OrdersResource.class, dev.kindemcp.bridge.kinde.orders.OrdersTools.class);
    }

    @Test
    void loginWhenTwoAudiencesConfiguredThenKindeAskedForBothAndTokenAccepted() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        LoginDriver.Client client = LoginDriver.register("none");
        HttpResponse<String> token = LoginDriver.token(LoginDriver.codeExchange(client,
                LoginDriver.code(client, "mcp:read")));
        assertEquals(200, token.statusCode(), token.body());
        RecordedRequest authorize = kinde.requests().stream()
                .filter(r -> r.path().equals(FakeKinde.AUTHORIZATION_PATH)).findFirst().orElseThrow();
        assertEquals(List.of(NOTES, ORDERS), authorize.query().get("audience"), "one audience parameter per API");
    }

    @Test
    void toolApiWhenTokenForEitherConfiguredAudienceThenAcceptedElseRefused() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        for (String audience : List.of(NOTES, ORDERS)) {
            HttpResponse<String> me = Http.get(TestDeployments.issuer() + "/api/me", "Authorization", "Bearer "
                    + kinde.issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME, audience));
            assertEquals(200, me.statusCode(), audience + ": " + me.body());
        }
        HttpResponse<String> other = Http.get(TestDeployments.issuer() + "/api/me", "Authorization", "Bearer "
                + kinde.issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME, "https://other.example"));
        assertEquals(401, other.statusCode(), other.body());
    }

    @Test
    void loginWhenOneApiNotEnabledForTheApplicationThenThatApiIsNamed() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        kinde.setTenant(FakeTenant.kindeDefaults().withUnauthorizedAudience(ORDERS));
        HttpResponse<String> page = LoginDriver.callback(LoginDriver.register("none"), "mcp:read");
        assertEquals(502, page.statusCode(), page.body());
        assertTrue(page.body().contains("enable the API &#39;" + ORDERS + "&#39;"), page.body());
        assertTrue(!page.body().contains("enable the API &#39;" + NOTES), "the enabled API is not named");
    }

    /** A tool API that names its own audience refuses a Kinde token for another configured API. */
    @Test
    void toolApiWhenItNamesItsAudienceThenTokensForOtherApisRefused() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        String orders = TestDeployments.issuer() + "/api/orders-test";
        assertEquals(401, Http.get(orders, "Authorization", "Bearer " + kinde.issueUserAccessToken(
                KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME, NOTES)).statusCode(), "a notes token");
        assertEquals(200, Http.get(orders, "Authorization", "Bearer " + kinde.issueUserAccessToken(
                KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME, ORDERS)).statusCode(), "an orders token");
    }

    /** ToolApiClient sends the caller's Kinde token only to an API whose audience it carries. */
    @Test
    void toolWhenCallersKindeTokenLacksTheApisAudienceThenToolErrorAndNothingSent() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        LoginDriver.Client client = LoginDriver.register("none");
        String user = (String) Http.json(LoginDriver.token(LoginDriver.codeExchange(client,
                LoginDriver.code(client, "mcp:read")))).get("access_token");
        Map<String, Object> ok = dev.kindemcp.bridge.testsupport.McpCalls.call(TestDeployments.issuer(), user,
                "list_orders");
        assertEquals(KindeDemoData.ALICE_ID, dev.kindemcp.bridge.testsupport.McpCalls.JsonRpc.member(ok,
                "structuredContent").get("subject"), "the user's token carries both audiences: " + ok);

        // an agent's Kinde M2M token is for the first audience (notes) only
        HttpResponse<String> agent = LoginDriver.token(Map.of("grant_type", "client_credentials"), "Authorization",
                LoginDriver.basic(TestKinde.AGENT_ID, TestKinde.AGENT_SECRET));
        assertEquals(200, agent.statusCode(), agent.body());
        Map<String, Object> refused = dev.kindemcp.bridge.testsupport.McpCalls.call(TestDeployments.issuer(),
                (String) Http.json(agent).get("access_token"), "list_orders");
        assertEquals(Boolean.TRUE, refused.get("isError"), "" + refused);
        assertTrue(refused.toString().contains("not for the API " + ORDERS), "" + refused);
    }
}
