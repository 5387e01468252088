package dev.kindemcp.bridge.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * MCP calls as plain HTTP (the README's curl commands): {@code initialize}, {@code notifications/initialized} and a
 * {@code tools/call} of {@code whoami} with a bridge access token.
 */
public final class McpCalls {

    public static final String VERSION = "2025-11-25";

    private McpCalls() {
    }

    /** Opens a session and calls whoami; returns the tool's structured result. */
    public static Map<String, Object> whoami(String bridge, String accessToken) {
        return JsonRpc.member(call(bridge, accessToken, "whoami"), "structuredContent");
    }

    /** Opens a session and calls {@code tool} without arguments; returns the JSON-RPC result. */
    public static Map<String, Object> call(String bridge, String accessToken, String tool) {
        HttpResponse<String> init = post(bridge, accessToken, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
                + "\"initialize\",\"params\":{\"protocolVersion\":\"" + VERSION + "\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"curl\",\"version\":\"1\"}}}");
        assertEquals(200, init.statusCode(), init.body());
        String session = init.headers().firstValue("Mcp-Session-Id").orElse(null); // none: the endpoint is stateless
        HttpResponse<String> initialized = post(bridge, accessToken, session,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertEquals(202, initialized.statusCode(), initialized.body());
        HttpResponse<String> call = post(bridge, accessToken, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":"
                + "\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{}}}");
        assertEquals(200, call.statusCode(), call.body());
        return JsonRpc.member(Http.jsonRpc(call), "result");
    }

    /** Opens a session and lists the tools; returns their names. */
    @SuppressWarnings("unchecked")
    public static java.util.List<String> toolNames(String bridge, String accessToken) {
        HttpResponse<String> init = post(bridge, accessToken, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
                + "\"initialize\",\"params\":{\"protocolVersion\":\"" + VERSION + "\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"curl\",\"version\":\"1\"}}}");
        assertEquals(200, init.statusCode(), init.body());
        String session = init.headers().firstValue("Mcp-Session-Id").orElse(null);
        post(bridge, accessToken, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        HttpResponse<String> list = post(bridge, accessToken, session,
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        assertEquals(200, list.statusCode(), list.body());
        return ((java.util.List<Map<String, Object>>) JsonRpc.member(Http.jsonRpc(list), "result").get("tools")).stream()
                .map(tool -> (String) tool.get("name")).toList();
    }

    public static HttpResponse<String> post(String bridge, String accessToken, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bridge + "/mcp"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session == null) {
            return Http.send(request, "Authorization", "Bearer " + accessToken, "Content-Type", "application/json",
                    "Accept", "application/json, text/event-stream", "MCP-Protocol-Version", VERSION);
        }
        return Http.send(request, "Authorization", "Bearer " + accessToken, "Content-Type", "application/json",
                "Accept", "application/json, text/event-stream", "Mcp-Session-Id", session,
                "MCP-Protocol-Version", VERSION);
    }


    /** Typed access to JSON objects inside a message. */
    public static final class JsonRpc {
        private JsonRpc() {
        }

        @SuppressWarnings("unchecked")
        public static Map<String, Object> member(Map<String, Object> object, String name) {
            Object value = object.get(name);
            if (!(value instanceof Map)) {
                throw new AssertionError("no object " + name + " in " + object);
            }
            return (Map<String, Object>) value;
        }
    }
}
