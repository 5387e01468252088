package dev.kindemcp.bridge.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
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
 * The MCP endpoint behind its bearer guard on a real Liberty: challenges MCP clients understand, bridge tokens
 * only, no sessions (stateless), Origin checks (RS-01, RS-02, RS-09, RS-15, RS-22, RS-24).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class McpEndpointIT {

    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}";

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        return TestDeployments.bridge(config);
    }

    static String mcp() {
        return TestDeployments.issuer() + "/mcp";
    }

    static HttpResponse<String> post(String body, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Content-Type";
        all[1] = "application/json";
        all[2] = "Accept";
        all[3] = "application/json, text/event-stream";
        System.arraycopy(headers, 0, all, 4, headers.length);
        return Http.send(HttpRequest.newBuilder(URI.create(mcp())).POST(HttpRequest.BodyPublishers.ofString(body)), all);
    }

    /** A user's bridge access token, through the whole login. */
    static String userToken(String userId) {
        return LoginDriver.userAccessToken(userId, KindeDemoData.ORG_ACME);
    }

    static void assertChallenge(HttpResponse<String> r, String error) {
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").isEmpty(), "never a redirect");
        String header = r.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(header.startsWith("Bearer "), header);
        assertTrue(header.contains("resource_metadata=\"" + TestDeployments.issuer()
                + "/.well-known/oauth-protected-resource/mcp\""), header);
        assertTrue(header.contains("scope=\"mcp:read\""), header);
        assertEquals(error != null, header.contains("error=\"" + error + "\""), header);
    }

    /** The JSON-RPC message of a response, whether sent as JSON or as a server-sent event. */
    static Map<String, Object> message(HttpResponse<String> r) {
        return Http.jsonRpc(r);
    }

    /** RS-01: every method without a token gets the challenge. */
    @Test
    void mcpWhenNoTokenThen401ChallengeForPostGetAndHead() {
        assertChallenge(post(INITIALIZE), null);
        assertChallenge(Http.get(mcp()), null);
        assertChallenge(Http.send(HttpRequest.newBuilder(URI.create(mcp())).method("HEAD",
                HttpRequest.BodyPublishers.noBody())), null);
    }

    /** RS-02, RS-09, RS-15, RS-22. */
    @Test
    void mcpWhenTokenGarbageForeignMisplacedOrDoubledThenRejected() {
        assertChallenge(post(INITIALIZE, "Authorization", "Bearer not.a.token"), "invalid_token");
        String kindeToken = TestKinde.get().issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME,
                "https://api.example.test");
        assertChallenge(post(INITIALIZE, "Authorization", "Bearer " + kindeToken), "invalid_token");
        String token = userToken(KindeDemoData.ALICE_ID);
        HttpResponse<String> query = Http.send(HttpRequest.newBuilder(URI.create(mcp() + "?access_token=" + token))
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)), "Content-Type", "application/json",
                "Accept", "application/json, text/event-stream");
        assertChallenge(query, null);
        HttpResponse<String> both = Http.send(HttpRequest.newBuilder(URI.create(mcp() + "?access_token=" + token))
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)), "Content-Type", "application/json",
                "Accept", "application/json, text/event-stream", "Authorization", "Bearer " + token);
        assertEquals(400, both.statusCode());
        HttpResponse<String> twice = post(INITIALIZE, "Authorization", "Bearer " + token, "Authorization",
                "Bearer " + token);
        assertEquals(400, twice.statusCode());
    }

    /**
     * The MCP handshake and a tool call with a user's bridge token, statelessly: no session id, no cookie, every
     * request authorized by its own token (so a handle copied from another user cannot exist); RS-15 (lower-case
     * scheme); RS-24.
     */
    @Test
    void mcpWhenUserTokenThenInitializeListAndCallWhoamiWithoutSession() {
        String alice = userToken(KindeDemoData.ALICE_ID);
        HttpResponse<String> init = post(INITIALIZE, "Authorization", "bearer " + alice);
        assertEquals(200, init.statusCode(), init.body());
        assertEquals(java.util.Optional.empty(), init.headers().firstValue("Mcp-Session-Id"), "stateless");
        HttpResponse<String> initialized = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "Authorization", "Bearer " + alice, "MCP-Protocol-Version", "2025-06-18");
        assertEquals(202, initialized.statusCode(), initialized.body());
        HttpResponse<String> list = post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", "Authorization",
                "Bearer " + alice, "MCP-Protocol-Version", "2025-06-18");
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains("\"whoami\""), list.body());
        HttpResponse<String> call = post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{"
                + "\"name\":\"whoami\",\"arguments\":{}}}", "Authorization", "Bearer " + alice,
                "MCP-Protocol-Version", "2025-06-18");
        assertEquals(200, call.statusCode(), call.body());
        assertEquals(List.of(), call.headers().allValues("Set-Cookie"), "bearer tokens only, never a session cookie");
        Map<?, ?> result = (Map<?, ?>) message(call).get("result");
        Map<?, ?> me = (Map<?, ?>) result.get("structuredContent");
        assertEquals(KindeDemoData.ALICE_ID, me.get("subject"));
        assertEquals("user", me.get("kind"));
        assertEquals(KindeDemoData.ORG_ACME, me.get("org_code"));
        assertTrue(((List<?>) me.get("permissions")).contains("write:notes"));
        assertEquals(true, ((Map<?, ?>) me.get("feature_flags")).get("notes_v2"), "Acme's Kinde feature flag");

        String bob = userToken(KindeDemoData.BOB_ID);
        HttpResponse<String> asBob = post("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{"
                + "\"name\":\"whoami\",\"arguments\":{}}}", "Authorization", "Bearer " + bob, "Mcp-Session-Id",
                "made-up-or-copied-session-id", "MCP-Protocol-Version", "2025-06-18");
        assertEquals(KindeDemoData.BOB_ID, ((Map<?, ?>) ((Map<?, ?>) message(asBob).get("result"))
                .get("structuredContent")).get("subject"), "a session header carries nothing: the token decides");
        HttpResponse<String> stream = Http.get(TestDeployments.issuer() + "/mcp", "Authorization", "Bearer " + alice,
                "Accept", "text/event-stream");
        assertEquals(405, stream.statusCode(), "no server-to-client stream on a stateless endpoint");
    }

    /** MCP Transports: a foreign browser Origin is refused; a local one may read the challenge. */
    @Test
    void mcpWhenBrowserOriginThenForeignForbiddenLocalGetsCorsWithChallenge() {
        assertEquals(403, post(INITIALIZE, "Origin", "https://evil.example").statusCode());
        HttpResponse<String> local = post(INITIALIZE, "Origin", "http://localhost:6274");
        assertChallenge(local, null);
        assertEquals("http://localhost:6274", local.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(local.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("WWW-Authenticate"));
    }

    /**
     * RS-20: a tool whose scope the token lacks is a 403 step-up challenge naming the scopes to ask for, before
     * the call runs; a missing Kinde permission is a tool error. RS-23: the notes tools reach the tool API with
     * the caller's Kinde token. RS-16: a 100 KB token is refused without a server error.
     */
    @Test
    void toolsCallWhenScopeMissingThen403StepUpAndWhenPermissionMissingThenToolError() {
        String alice = userToken(KindeDemoData.ALICE_ID);
        assertEquals(200, post(INITIALIZE, "Authorization", "Bearer " + alice).statusCode());
        String[] headers = {"Authorization", "Bearer " + alice, "MCP-Protocol-Version", "2025-06-18"};
        HttpResponse<String> write = post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{"
                + "\"name\":\"add_note\",\"arguments\":{\"text\":\"needs mcp:write\"}}}", headers);
        assertEquals(403, write.statusCode(), write.body());
        String challenge = write.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.startsWith("Bearer ") && challenge.contains("error=\"insufficient_scope\"")
                && challenge.contains("scope=\"mcp:read mcp:write\"") && challenge.contains("resource_metadata=\""
                + TestDeployments.issuer() + "/.well-known/oauth-protected-resource/mcp\""), challenge);
        HttpResponse<String> batch = post("[{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{"
                + "\"name\":\"add_note\",\"arguments\":{\"text\":\"x\"}}}]", headers);
        assertEquals(403, batch.statusCode(), "a batch cannot smuggle the call past the scope check");
        HttpResponse<String> duplicateKeys = post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"x\",\"method\":"
                + "\"tools/call\",\"params\":{\"name\":\"add_note\",\"arguments\":{\"text\":\"x\"}}}", headers);
        if (duplicateKeys.statusCode() == 200) {
            // a body the guard cannot read but the SDK can still meets the registry's own scope check
            Map<?, ?> refused = (Map<?, ?>) message(duplicateKeys).get("result");
            assertEquals(true, refused.get("isError"), duplicateKeys.body());
            assertTrue(duplicateKeys.body().contains("mcp:write"), duplicateKeys.body());
        } else {
            assertTrue(List.of(400, 403).contains(duplicateKeys.statusCode()), duplicateKeys.body());
        }

        HttpResponse<String> whoami = post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{"
                + "\"name\":\"whoami\",\"arguments\":{}}}", headers);
        Map<?, ?> me = (Map<?, ?>) ((Map<?, ?>) message(whoami).get("result")).get("structuredContent");
        Map<?, ?> seen = (Map<?, ?>) me.get("tool_api_sees");
        assertEquals(TestKinde.get().issuer(), seen.get("token_issuer"), "RS-23: the tool API got a Kinde token");
        assertEquals(KindeDemoData.ALICE_ID, seen.get("subject"));

        String bob = userToken(KindeDemoData.BOB_ID);
        HttpResponse<String> list = post("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\"}",
                "Authorization", "Bearer " + bob, "MCP-Protocol-Version", "2025-06-18");
        assertTrue(list.body().contains("\"list_notes\"") && !list.body().contains("\"add_note\""), list.body());

        int huge = Http.statusOrClosed(() -> post(INITIALIZE, "Authorization", "Bearer " + "a".repeat(100 * 1024)));
        assertTrue(List.of(0, 400, 401, 431).contains(huge), "RS-16 (0: connection closed): " + huge);
    }

    /**
     * Protocol versions: clients of the Streamable HTTP versions get the version they ask for; a client asking
     * for a version the MCP Java SDK does not speak (2024-11-05, which predates Streamable HTTP, or 2026-07-28) is
     * answered with the newest version the SDK speaks, which the client may accept or refuse.
     */
    @Test
    void initializeWhenOlderOrNewerProtocolVersionThenNegotiated() {
        String alice = userToken(KindeDemoData.ALICE_ID);
        for (String[] pair : new String[][] {{"2024-11-05", "2025-11-25"}, {"2025-03-26", "2025-03-26"},
                {"2025-06-18", "2025-06-18"}, {"2025-11-25", "2025-11-25"}, {"2026-07-28", "2025-11-25"}}) {
            HttpResponse<String> init = post(INITIALIZE.replace("2025-06-18", pair[0]), "Authorization",
                    "Bearer " + alice);
            assertEquals(200, init.statusCode(), init.body());
            Map<?, ?> result = (Map<?, ?>) message(init).get("result");
            assertEquals(pair[1], result.get("protocolVersion"), "asked for " + pair[0]);
        }
    }
}
