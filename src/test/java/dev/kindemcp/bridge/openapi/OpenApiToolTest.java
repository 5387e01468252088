package dev.kindemcp.bridge.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.mcp.ApiRequest;
import dev.kindemcp.bridge.mcp.ToolApiClient.ApiResponse;
import dev.kindemcp.bridge.mcp.ToolException;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A declared tool's call: arguments checked before anything is sent, and the API's answer as a tool result. */
class OpenApiToolTest {

    static OpenApiTool tool(List<ApiRequest> sent, ApiResponse answer) throws Exception {
        String text = "{\"openapi\":\"3.1.0\",\"paths\":{\"/api/tasks\":{\"post\":{\"operationId\":\"create_task\","
                + "\"x-mcp-tool\":true,\"parameters\":[{\"name\":\"limit\",\"in\":\"query\",\"schema\":{\"type\":"
                + "\"integer\",\"maximum\":50}}],\"requestBody\":{\"required\":true,\"content\":{\"application/json\":"
                + "{\"schema\":{\"type\":\"object\",\"required\":[\"title\"],\"properties\":{\"title\":{\"type\":\"string\","
                + "\"maxLength\":10},\"priority\":{\"enum\":[\"LOW\",\"HIGH\"]}}}}}}}}}}";
        OpenApiDocument document = OpenApiDocument.parse(URI.create("http://localhost:9080/openapi"), text);
        OpenApiTool.Definition definition = new OperationReader(document, new dev.kindemcp.bridge.config.OpenApiSettings(
                List.of(document.source()), Set.of(), List.of(), Duration.ZERO, "mcp:read", "mcp:write"),
                Set.of(URI.create("http://localhost:9080")), URI.create("http://localhost:9080")).read().tools().get(0);
        return new OpenApiTool(definition, request -> {
            sent.add(request);
            return answer;
        }, new DefaultJsonSchemaValidator());
    }

    @Test
    void callWhenArgumentsBreakTheSchemaThenToolErrorAndNothingSent() throws Exception {
        List<ApiRequest> sent = new ArrayList<>();
        OpenApiTool tool = tool(sent, new ApiResponse(201, "{}", "application/json"));
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of(), Map.of("body", Map.of()),
                Map.of("body", Map.of("title", "far too long a title")), Map.of("body", Map.of("title", "a", "priority", "URGENT")),
                Map.of("body", Map.of("title", "a"), "limit", 51), Map.of("body", Map.of("title", "a"), "unknown", 1),
                Map.of("body", Map.of("title", "a"), "limit", "5"))) {
            ToolException e = assertThrows(ToolException.class, () -> tool.call(bad, null), bad.toString());
            assertTrue(e.getMessage().startsWith("the arguments of tool create_task do not match its input schema"),
                    e.getMessage());
        }
        assertEquals(List.of(), sent);
        tool.call(Map.of("body", Map.of("title", "a", "priority", "LOW"), "limit", 5), null);
        assertEquals(1, sent.size());
        assertEquals("http://localhost:9080/api/tasks?limit=5", sent.get(0).target().toString());
    }

    @Test
    void resultWhenJsonObjectThenStructuredAndText() {
        McpSchema.CallToolResult result = OpenApiTool.result("t", new ApiResponse(200, "{\"id\":\"t1\"}",
                "application/json; charset=UTF-8"), true);
        assertEquals(Map.of("id", "t1"), result.structuredContent());
        assertEquals("{\"id\":\"t1\"}", ((McpSchema.TextContent) result.content().get(0)).text());
        assertEquals(Boolean.FALSE, result.isError());
    }

    @Test
    void resultWhenArrayTextOrEmptyThenWrappedOrTextOrDone() {
        assertEquals(Map.of("result", List.of(1, 2)), OpenApiTool.result("t",
                new ApiResponse(200, "[1,2]", "application/problem+json"), false).structuredContent());
        McpSchema.CallToolResult text = OpenApiTool.result("t", new ApiResponse(200, "plain", "text/plain"), false);
        assertNull(text.structuredContent());
        assertEquals("plain", ((McpSchema.TextContent) text.content().get(0)).text());
        assertEquals("done (HTTP 204)", ((McpSchema.TextContent) OpenApiTool.result("t",
                new ApiResponse(204, "", ""), false).content().get(0)).text());
    }

    @Test
    void resultWhenDocumentationPromisesAnObjectButTheAnswerIsNotThenToolError() {
        for (ApiResponse answer : List.of(new ApiResponse(200, "[1]", "application/json"),
                new ApiResponse(200, "<html/>", "text/html"), new ApiResponse(204, "", ""),
                new ApiResponse(200, "{not json", "application/json"))) {
            assertThrows(ToolException.class, () -> OpenApiTool.result("t", answer, true), answer.toString());
        }
    }

    @Test
    void resultWhenNot2xxThenToolErrorNamesStatusAndTheApisMessage() {
        assertEquals("the API of tool t answered 404: there is no task t9", assertThrows(ToolException.class,
                () -> OpenApiTool.result("t", new ApiResponse(404, "{\"code\":7,\"message\":\"there is no task t9\"}",
                        "application/json"), true)).getMessage());
        assertEquals("the API of tool t answered 400: bad\r\nline", assertThrows(ToolException.class,
                () -> OpenApiTool.result("t", new ApiResponse(400, "{\"error_description\":\"bad\\r\\nline\"}",
                        "application/json"), true)).getMessage().replace(" line", "\r\nline"));
        String longText = "x".repeat(5000);
        String message = assertThrows(ToolException.class, () -> OpenApiTool.result("t",
                new ApiResponse(503, longText, "text/plain"), false)).getMessage();
        assertEquals("the API of tool t answered 503: " + "x".repeat(OpenApiTool.MAX_MESSAGE) + "…", message);
        assertEquals("the API of tool t answered 500", assertThrows(ToolException.class, () -> OpenApiTool.result("t",
                new ApiResponse(500, "<html>stack trace</html>", "text/html"), false)).getMessage(),
                "an HTML error page is not quoted");
    }
}
