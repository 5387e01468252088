package dev.kindemcp.bridge.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.McpCalls;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import java.io.File;
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
 * The README's way to add a company's own {@code @McpTool} classes without forking the bridge: the overlay
 * project src/it/tool-overlay, built by the build against the bridge it just packaged (maven-invoker-plugin),
 * is deployed as it is; its tool is served beside the bridge's own, with the same login and checks.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ToolOverlayIT {

    static final File OVERLAY = new File("target/it/tool-overlay/target/company-mcp-bridge.war");

    @Deployment
    static WebArchive deployment() {
        return TestDeployments.bridge(OVERLAY, "company-mcp-bridge", TestDeployments.unthrottledConfig());
    }

    @Test
    void overlayWhenDeployedThenTheCompanyToolIsServedBesideTheBridgesOwn() {
        String token = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        List<String> tools = McpCalls.toolNames(TestDeployments.issuer(), token);
        assertTrue(tools.containsAll(List.of("team_greeting", "whoami", "list_notes")), tools.toString());
        HttpResponse<String> init = McpCalls.post(TestDeployments.issuer(), token, null, "{\"jsonrpc\":\"2.0\","
                + "\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + McpCalls.VERSION + "\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
        String session = init.headers().firstValue("Mcp-Session-Id").orElse(null);
        McpCalls.post(TestDeployments.issuer(), token, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        HttpResponse<String> call = McpCalls.post(TestDeployments.issuer(), token, session, "{\"jsonrpc\":\"2.0\","
                + "\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"team_greeting\",\"arguments\":"
                + "{\"name\":\"Bob\"}}}");
        assertEquals(200, call.statusCode(), call.body());
        Map<String, Object> result = McpCalls.JsonRpc.member(Http.jsonRpc(call), "result");
        assertEquals(Map.of("greeting", "Hello Bob, from org_acme", "by", KindeDemoData.ALICE_ID),
                result.get("structuredContent"), result.toString());
    }
}
