package dev.kindemcp.bridge.mcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.resource.Caller;
import dev.kindemcp.bridge.resource.UsersOnly;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tool names, JSON input schemas and argument binding read from {@link McpTool} methods. */
class ToolDefinitionTest {

    enum Colour { RED, GREEN }

    static class Sample {
        @McpTool(description = "Search things", permission = "read:things", readOnly = true)
        public String search(Caller caller, @ToolParam(description = "what", maxLength = 50) String query,
                @ToolParam(description = "how many", required = false) Integer limit,
                @ToolParam(description = "exact") boolean exact, @ToolParam(description = "colour") Colour colour,
                @ToolParam(description = "tags", required = false) List<String> tags,
                @ToolParam(description = "weight", required = false) Double weight) {
            return query;
        }

        @McpTool(name = "write_thing", scope = "mcp:write", description = "Write")
        @UsersOnly
        public String write(@ToolParam(name = "text", description = "the text") String body) {
            return body;
        }

        @McpTool(name = "bad name!", description = "x")
        public String badName() {
            return "";
        }

        @McpTool(description = "x")
        public String unsupported(@ToolParam(description = "map") Map<String, Object> map) {
            return "";
        }

        @McpTool(description = "x")
        public String unannotated(String text) {
            return text;
        }

        @McpTool(description = " ")
        public String noDescription() {
            return "";
        }

        @McpTool(description = "x")
        static String notAnInstanceMethod() {
            return "";
        }
    }

    static Method method(String name) {
        return Arrays.stream(Sample.class.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    static ToolDefinition tool(String name) {
        return ToolDefinition.of(Sample.class, method(name), "mcp:read");
    }

    static Caller caller(Set<String> permissions, boolean machine) {
        return new Caller(machine ? "kinde-m2m:agent" : "kp_1", "client", Set.of("mcp:read"),
                Optional.of("org_acme"), permissions, Set.of(), Map.of(), machine, Optional.empty());
    }

    @Test
    void ofWhenAnnotatedMethodThenNameSchemaScopeAndPermission() {
        ToolDefinition search = tool("search");
        assertEquals("search", search.name());
        assertEquals("mcp:read", search.scope(), "the default scope");
        assertEquals(Optional.of("read:things"), search.permission());
        assertTrue(search.readOnly());
        Map<String, Object> schema = search.inputSchema();
        assertEquals("object", schema.get("type"));
        assertEquals(List.of("query", "exact", "colour"), schema.get("required"));
        assertEquals(false, schema.get("additionalProperties"));
        Map<?, ?> properties = (Map<?, ?>) schema.get("properties");
        assertEquals(List.of("query", "limit", "exact", "colour", "tags", "weight"), List.copyOf(properties.keySet()));
        assertEquals(Map.of("type", "string", "maxLength", 50, "description", "what"), properties.get("query"));
        assertEquals(Map.of("type", "integer", "description", "how many"), properties.get("limit"));
        assertEquals(Map.of("type", "boolean", "description", "exact"), properties.get("exact"));
        assertEquals(Map.of("type", "string", "enum", List.of("RED", "GREEN"), "description", "colour"),
                properties.get("colour"));
        assertEquals(Map.of("type", "array", "items", Map.of("type", "string"), "description", "tags"),
                properties.get("tags"));
        assertEquals(Map.of("type", "number", "description", "weight"), properties.get("weight"));

        ToolDefinition write = tool("write");
        assertEquals("write_thing", write.name());
        assertEquals("mcp:write", write.scope());
        assertTrue(write.usersOnly());
        assertEquals(Map.of("text", Map.of("type", "string", "description", "the text")),
                write.inputSchema().get("properties"));
    }

    @Test
    void ofWhenMethodCannotBeAToolThenIllegalArgument() {
        for (String name : List.of("badName", "unsupported", "unannotated", "noDescription", "notAnInstanceMethod")) {
            assertThrows(IllegalArgumentException.class, () -> tool(name), name);
        }
    }

    @Test
    void argumentsWhenValidThenBoundInOrderWithTheCaller() {
        Caller caller = caller(Set.of(), false);
        Map<String, Object> given = new HashMap<>();
        given.put("query", "q");
        given.put("limit", 5.0);
        given.put("exact", true);
        given.put("colour", "GREEN");
        given.put("tags", List.of("a", "b"));
        given.put("weight", 2);
        assertArrayEquals(new Object[] {caller, "q", 5, true, Colour.GREEN, List.of("a", "b"), 2.0},
                tool("search").arguments(given, caller));
        Object[] minimal = tool("search").arguments(Map.of("query", "q", "exact", false, "colour", "RED"), caller);
        assertEquals(null, minimal[2], "an optional argument left out is null");
    }

    @Test
    void argumentsWhenMissingUnknownOrWrongTypeThenToolException() {
        Caller caller = caller(Set.of(), false);
        ToolDefinition search = tool("search");
        List<Map<String, Object>> bad = List.of(
                Map.of("exact", true, "colour", "RED"),
                Map.of("query", "q", "exact", true, "colour", "RED", "extra", 1),
                Map.of("query", 1, "exact", true, "colour", "RED"),
                Map.of("query", "q", "exact", "yes", "colour", "RED"),
                Map.of("query", "q", "exact", true, "colour", "BLUE"),
                Map.of("query", "q", "exact", true, "colour", "RED", "limit", 1.5),
                Map.of("query", "q", "exact", true, "colour", "RED", "limit", 1L << 40),
                Map.of("query", "q", "exact", true, "colour", "RED", "tags", List.of(1)),
                Map.of("query", "q".repeat(51), "exact", true, "colour", "RED"),
                Map.of("query", "q", "exact", true, "colour", "RED", "limit", new java.math.BigInteger("9".repeat(30))),
                Map.of("query", "q", "exact", true, "colour", "RED", "weight", Double.NaN));
        for (Map<String, Object> arguments : bad) {
            ToolException e = assertThrows(ToolException.class, () -> search.arguments(arguments, caller),
                    arguments.toString());
            assertTrue(e.getMessage().contains("search"), e.getMessage());
        }
    }

    @Test
    void allowedForWhenPermissionOrPersonMissingThenFalse() {
        assertTrue(tool("search").allowedFor(caller(Set.of("read:things"), false)));
        assertFalse(tool("search").allowedFor(caller(Set.of("write:things"), false)), "permission missing");
        assertTrue(tool("search").allowedFor(caller(Set.of("read:things"), true)), "machines may search");
        assertTrue(tool("write").allowedFor(caller(Set.of(), false)));
        assertFalse(tool("write").allowedFor(caller(Set.of(), true)), "users only");
    }
}
