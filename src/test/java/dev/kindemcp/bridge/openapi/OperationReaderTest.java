package dev.kindemcp.bridge.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.config.OpenApiSettings;
import dev.kindemcp.bridge.openapi.HttpOperation.In;
import dev.kindemcp.bridge.openapi.HttpOperation.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which operations of a document become tools, and what each tool says and needs. */
class OperationReaderTest {

    static final URI TOOL_API = URI.create("http://localhost:9080");
    static final URI SOURCE = URI.create("http://localhost:9080/openapi");

    static OpenApiSettings settings(String... operations) {
        return new OpenApiSettings(List.of(SOURCE), Set.of(operations), List.of(), Duration.ofMinutes(1), "mcp:read",
                "mcp:write");
    }

    static OperationReader.Result read(String resource, OpenApiSettings settings, Set<URI> origins) throws Exception {
        try (InputStream in = OperationReaderTest.class.getResourceAsStream("/openapi/" + resource)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new OperationReader(OpenApiDocument.parse(SOURCE, text), settings, origins, TOOL_API).read();
        }
    }

    static Map<String, OpenApiTool.Definition> tools(OperationReader.Result result) {
        return result.tools().stream().collect(Collectors.toMap(OpenApiTool.Definition::name, t -> t));
    }

    @Test
    void readWhenMarkedOrListedThenToolsAndNothingElse() throws Exception {
        OperationReader.Result result = read("tasks-3.0.yaml", settings("listed_in_configuration", "replace_task"),
                Set.of(TOOL_API));
        assertEquals(Set.of("list_tasks", "create_task", "remove_task", "archive", "listed_in_configuration"),
                tools(result).keySet(), "get_task is not marked, replace_task is marked false although listed");
    }

    @Test
    void readWhenOperationCannotBeAToolThenAProblemNamesItAndWhy() throws Exception {
        List<String> problems = read("tasks-3.0.yaml", settings(), Set.of(TOOL_API)).problems();
        assertEquals(7, problems.size(), problems.toString());
        for (String expected : List.of("GET /api/bad-name (bad name!) is not a tool: it would be named 'bad name!'",
                "GET /api/no-name is not a tool: it has neither an operationId nor an x-mcp-tool name",
                "GET /api/typo (typo) is not a tool: it has an unknown x-mcp-tool field 'permision'",
                "GET /api/twice/{id} (twice) is not a tool: it has two arguments named 'id'",
                "GET /api/cookie (needs_cookie) is not a tool: it needs cookie parameter 'session'",
                "GET /api/deep (deep_object) is not a tool: it has parameter 'filter' in style deepObject",
                "GET /api/forged (forged_host) is not a tool: it has header parameter 'Host'")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("operation " + expected)), expected + " in " + problems);
        }
    }

    @Test
    void readWhenGetThenReadScopeReadOnlyAndDescriptionSchemasAndRequest() throws Exception {
        OpenApiTool.Definition list = tools(read("tasks-3.0.yaml", settings(), Set.of(TOOL_API))).get("list_tasks");
        assertEquals("mcp:read", list.scope());
        assertEquals("List tasks\n\nNewest first.", list.description());
        assertEquals("List tasks", list.title());
        assertEquals(List.of(Set.of("read:tasks")), list.permissions(), "the document's security requirement");
        assertEquals(Boolean.TRUE, list.annotations().readOnlyHint());
        assertEquals(Boolean.FALSE, list.annotations().destructiveHint());
        Map<?, ?> properties = (Map<?, ?>) list.inputSchema().get("properties");
        assertEquals(List.of("X-Tenant-Hint", "limit", "priority"), List.copyOf(properties.keySet()),
                "path-level header, then the operation's; Accept and the cookie are not arguments");
        assertEquals(Map.of("type", "integer", "minimum", 1, "maximum", 50, "description", "How many"),
                properties.get("limit"));
        assertEquals(Map.of("type", "string", "enum", List.of("LOW", "NORMAL", "HIGH")), properties.get("priority"));
        assertEquals(false, list.inputSchema().get("additionalProperties"));
        assertFalse(list.inputSchema().containsKey("required"));
        Map<?, ?> output = list.outputSchema().orElseThrow();
        Map<?, ?> task = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) output.get("properties")).get("tasks")).get("items");
        assertEquals(Map.of("type", List.of("string", "null"), "format", "date"),
                ((Map<?, ?>) task.get("properties")).get("due"), "nullable in OpenAPI 3.0");
        assertEquals(new HttpOperation("GET", URI.create("http://localhost:9080/tasks"), "/api/tasks",
                List.of(new Parameter("X-Tenant-Hint", In.HEADER, false, true), new Parameter("limit", In.QUERY, false, true),
                        new Parameter("priority", In.QUERY, false, true)), Optional.empty()), list.http());
    }

    @Test
    void readWhenPostWithBodyThenWriteScopeBodyArgumentAndUsersOnly() throws Exception {
        OpenApiTool.Definition create = tools(read("tasks-3.0.yaml", settings(), Set.of(TOOL_API))).get("create_task");
        assertEquals("mcp:write", create.scope());
        assertEquals(List.of(Set.of("write:tasks")), create.permissions(), "the operation's own requirement wins");
        assertTrue(create.usersOnly());
        assertEquals(List.of("body"), create.inputSchema().get("required"));
        Map<?, ?> body = (Map<?, ?>) ((Map<?, ?>) create.inputSchema().get("properties")).get("body");
        assertEquals(Set.of("title", "priority"), ((Map<?, ?>) body.get("properties")).keySet(), "readOnly id dropped");
        assertEquals(Optional.of(true), create.http().body());
        assertEquals(Boolean.FALSE, create.annotations().readOnlyHint());
        assertEquals(Boolean.FALSE, create.annotations().idempotentHint());
    }

    @Test
    void readWhenExtensionObjectThenItsNameScopePermissionsAndHintsWin() throws Exception {
        Map<String, OpenApiTool.Definition> tools = tools(read("tasks-3.0.yaml", settings(), Set.of(TOOL_API)));
        OpenApiTool.Definition remove = tools.get("remove_task");
        assertEquals("mcp:admin", remove.scope());
        assertEquals(List.of(Set.of("write:tasks", "delete:tasks")), remove.permissions());
        assertEquals(Boolean.TRUE, remove.annotations().destructiveHint(), "DELETE");
        assertEquals(List.of("id"), remove.inputSchema().get("required"));
        assertEquals(Optional.of("https://tasks.api.example"), remove.http().audience());
        assertEquals(Optional.of("https://tasks.api.example"), remove.http().build(Map.of("id", "t1")).audience(),
                "the request carries the audience the caller's Kinde token must have");
        OpenApiTool.Definition archive = tools.get("archive");
        assertEquals(List.of(), archive.permissions(), "an empty requirement makes the permission optional");
        assertEquals("Archive everything", archive.title());
        assertEquals(Boolean.TRUE, archive.annotations().destructiveHint());
        assertEquals(Optional.empty(), archive.outputSchema(), "an array answer has no output schema");
        assertEquals("Calls POST /api/archive.", archive.description());
    }

    @Test
    void readWhenNoServerOnAnAllowedOriginThenTheServerPathOnTheToolApiOrigin() throws Exception {
        URI internal = URI.create("http://127.0.0.1:9089/openapi");
        String text = "{\"openapi\":\"3.1.0\",\"servers\":[{\"url\":\"http://127.0.0.1:9089/{ctx}\",\"variables\":"
                + "{\"ctx\":{\"default\":\"tasks\"}}},{\"url\":\"https://api.other.example/v1\"}],\"paths\":{\"/api/x\":"
                + "{\"get\":{\"operationId\":\"x\",\"x-mcp-tool\":true}}}}";
        OperationReader.Result result = new OperationReader(OpenApiDocument.parse(internal, text), settings(),
                Set.of(TOOL_API), TOOL_API).read();
        assertEquals(URI.create("http://localhost:9080/tasks"), result.tools().get(0).http().base());
        OperationReader.Result allowed = new OperationReader(OpenApiDocument.parse(internal, text), settings(),
                Set.of(TOOL_API, URI.create("https://api.other.example")), TOOL_API).read();
        assertEquals(URI.create("https://api.other.example/v1"), allowed.tools().get(0).http().base(),
                "an origin in bridge.openapi.origins may be named by servers");
    }

    @Test
    void readWhenNoServersThenTheDocumentsOwnOriginOrTheToolApiForAFile() throws Exception {
        String text = "{\"openapi\":\"3.1.0\",\"paths\":{\"/api/x\":{\"get\":{\"operationId\":\"x\",\"x-mcp-tool\":true}}}}";
        URI other = URI.create("https://apis.example/openapi.json");
        assertEquals(URI.create("https://apis.example"), new OperationReader(OpenApiDocument.parse(other, text),
                settings(), Set.of(TOOL_API, URI.create("https://apis.example")), TOOL_API).read().tools().get(0)
                .http().base());
        assertEquals(TOOL_API, new OperationReader(OpenApiDocument.parse(URI.create("file:/etc/api.json"), text),
                settings(), Set.of(TOOL_API), TOOL_API).read().tools().get(0).http().base());
    }

    @Test
    void readWhenOpenApi31JsonThenTypeArraysAndRefSiblingsKept() throws Exception {
        String text = "{\"openapi\":\"3.1.0\",\"paths\":{\"/api/items/{sku}\":{\"put\":{\"operationId\":\"put_item\","
                + "\"x-mcp-tool\":{\"readOnly\":false},\"parameters\":[{\"name\":\"sku\",\"in\":\"path\",\"required\":true,"
                + "\"schema\":{\"type\":\"string\",\"pattern\":\"^[A-Z0-9-]+$\"}}],\"requestBody\":{\"content\":"
                + "{\"application/merge-patch+json\":{\"schema\":{\"$ref\":\"#/components/schemas/Item\",\"description\":"
                + "\"the new item\"}}}},\"responses\":{\"200\":{\"description\":\"ok\",\"content\":{\"application/json\":"
                + "{\"schema\":{\"$ref\":\"#/components/schemas/Item\"}}}}}}}},\"components\":{\"schemas\":{\"Item\":"
                + "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":[\"string\",\"null\"]},\"qty\":{\"type\":"
                + "\"integer\",\"exclusiveMinimum\":0}}}}}}";
        OpenApiTool.Definition put = new OperationReader(OpenApiDocument.parse(SOURCE, text), settings(),
                Set.of(TOOL_API), TOOL_API).read().tools().get(0);
        Map<?, ?> body = (Map<?, ?>) ((Map<?, ?>) put.inputSchema().get("properties")).get("body");
        assertEquals("the new item", body.get("description"));
        assertEquals(Map.of("type", "integer", "exclusiveMinimum", 0), ((Map<?, ?>) body.get("properties")).get("qty"));
        assertEquals(Optional.of(false), put.http().body(), "an optional +json body");
        assertEquals(Boolean.TRUE, put.annotations().idempotentHint(), "PUT");
        assertEquals("object", put.outputSchema().orElseThrow().get("type"));
    }

    @Test
    void readWhenTwoOperationsClaimOneNameThenTheSecondIsAProblem() throws Exception {
        String text = "{\"openapi\":\"3.1.0\",\"paths\":{\"/a\":{\"get\":{\"operationId\":\"same\",\"x-mcp-tool\":true}},"
                + "\"/b\":{\"get\":{\"operationId\":\"other\",\"x-mcp-tool\":{\"name\":\"same\"}}}}}";
        OperationReader.Result result = new OperationReader(OpenApiDocument.parse(SOURCE, text), settings(),
                Set.of(TOOL_API), TOOL_API).read();
        assertEquals(1, result.tools().size());
        assertEquals(List.of("operation GET /b (other) is not a tool: it has the tool name same, which another "
                + "operation has"), result.problems());
    }

    static String resource(String name) throws IOException {
        try (InputStream in = OperationReaderTest.class.getResourceAsStream("/openapi/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
