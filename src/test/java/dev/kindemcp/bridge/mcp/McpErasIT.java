package dev.kindemcp.bridge.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.McpCalls;
import dev.kindemcp.bridge.testsupport.McpClientDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
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
 * Both protocol eras at the one {@code /mcp} (issue 14.1): MCP 2026-07-28 (stateless, {@code server/discover}, the
 * version in every request's {@code _meta}) through the MCP Java SDK's modern server, and 2025-11-25
 * ({@code initialize}) through its stateless transport, with the same tools, checks and bearer tokens. The
 * official TypeScript client 2.4.0 negotiates the 2026 era, and still speaks 2025 when told to.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class McpErasIT {

    static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
            + "\"io.modelcontextprotocol/clientCapabilities\":{},"
            + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"curl\",\"version\":\"1\"}}";

    @Deployment
    static WebArchive deployment() {
        return TestDeployments.bridge(TestDeployments.unthrottledConfig());
    }

    static HttpResponse<String> modern(String token, String method, String name, String params) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestDeployments.issuer() + "/mcp"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method
                        + "\",\"params\":{" + params + (params.isEmpty() ? "" : ",") + META + "}}"));
        List<String> headers = new java.util.ArrayList<>(List.of("Content-Type", "application/json", "Accept",
                "application/json, text/event-stream", "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", method));
        if (name != null) {
            headers.addAll(List.of("Mcp-Name", name));
        }
        if (token != null) {
            headers.addAll(List.of("Authorization", "Bearer " + token));
        }
        return Http.send(request, headers.toArray(String[]::new));
    }

    @Test
    void discoverWhenModernRequestThenStatelessAnswersAndTheSameChecks() throws Exception {
        String token = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        assertEquals(401, modern(null, "server/discover", null, "").statusCode(), "a bearer token first");

        HttpResponse<String> discover = modern(token, "server/discover", null, "");
        assertEquals(200, discover.statusCode(), discover.body());
        assertFalse(discover.headers().firstValue("Mcp-Session-Id").isPresent(), "no session");
        Map<String, Object> result = McpCalls.JsonRpc.member(Http.jsonRpc(discover), "result");
        assertEquals(List.of("2026-07-28"), result.get("supportedVersions"), discover.body());
        assertTrue(McpCalls.JsonRpc.member(result, "capabilities").containsKey("tools"), discover.body());

        HttpResponse<String> call = modern(token, "tools/call", "whoami", "\"name\":\"whoami\",\"arguments\":{}");
        assertEquals(200, call.statusCode(), call.body());
        Map<String, Object> me = McpCalls.JsonRpc.member(McpCalls.JsonRpc.member(Http.jsonRpc(call), "result"),
                "structuredContent");
        assertEquals(KindeDemoData.ALICE_ID, me.get("subject"), call.body());

        HttpResponse<String> mismatch = modern(token, "tools/call", "list_notes", "\"name\":\"whoami\",\"arguments\":{}");
        assertEquals(400, mismatch.statusCode(), "Mcp-Name must name the tool called: " + mismatch.body());

        HttpResponse<String> write = modern(token, "tools/call", "add_note",
                "\"name\":\"add_note\",\"arguments\":{\"text\":\"x\"}");
        assertEquals(403, write.statusCode(), write.body());
        assertTrue(write.headers().firstValue("WWW-Authenticate").orElse("").contains("insufficient_scope"),
                "the same step-up challenge as in the 2025 era");

        // the 2025 era on the same endpoint, with the same token
        assertEquals(KindeDemoData.ALICE_ID, McpCalls.whoami(TestDeployments.issuer(), token).get("subject"));
    }

    @Test
    void typeScriptClient24WhenNegotiatingThenSpeaks20260728() throws Exception {
        McpClientDriver.assumeInstalled();
        String token = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        McpClientDriver.assertSteps(McpClientDriver.runV2("modern-user", Map.of("BRIDGE_TOKEN", token)),
                McpClientDriver.MODERN_USER_STEPS);
    }

    @Test
    void typeScriptClient24WhenMachineThenSpeaks20260728() throws Exception {
        McpClientDriver.assumeInstalled();
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        McpClientDriver.assertSteps(McpClientDriver.runV2("modern-machine", Map.of()),
                McpClientDriver.MODERN_MACHINE_STEPS);
    }

    @Test
    void typeScriptClient24WhenToldToUseTheHandshakeThenSpeaks20251125() throws Exception {
        McpClientDriver.assumeInstalled();
        String token = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        McpClientDriver.assertSteps(McpClientDriver.runV2("legacy-user", Map.of("BRIDGE_TOKEN", token)),
                "initialize handshake", "negotiated 2025-11-25", "listed the sample tools",
                "whoami as a user of org_acme, the tool API called with the Kinde token", "read the notes",
                "a bad argument is a tool error", "a tool needing mcp:write is refused with 403 insufficient_scope",
                "no MCP session");
    }
}
