package dev.kindemcp.bridge.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.mcp.ApiRequest;
import dev.kindemcp.bridge.mcp.ToolException;
import dev.kindemcp.bridge.openapi.HttpOperation.In;
import dev.kindemcp.bridge.openapi.HttpOperation.Parameter;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tool-call arguments into HTTP requests: escaping, and the injection attempts an argument could make. */
class HttpOperationTest {

    static final URI BASE = URI.create("http://localhost:9080/tasks");

    static HttpOperation operation(String method, String path, Optional<Boolean> body, Parameter... parameters) {
        return new HttpOperation(method, BASE, path, List.of(parameters), body);
    }

    @Test
    void buildWhenPathArgumentHasReservedCharactersThenEachIsPercentEncodedInItsSegment() {
        HttpOperation get = operation("GET", "/api/tasks/{id}/notes", Optional.empty(),
                new Parameter("id", In.PATH, true, false));
        ApiRequest request = get.build(Map.of("id", "a b?c=d#e&f%g;é"));
        assertEquals("http://localhost:9080/tasks/api/tasks/a%20b%3Fc%3Dd%23e%26f%25g%3B%C3%A9/notes",
                request.target().toString());
        assertEquals("/tasks/api/tasks/a b?c=d#e&f%g;é/notes", request.target().getPath(), "one segment");
    }

    @Test
    void buildWhenPathArgumentIsADotSegmentOrHasSeparatorsThenToolErrorAndNoRequest() {
        HttpOperation get = operation("GET", "/api/tasks/{id}", Optional.empty(), new Parameter("id", In.PATH, true, false));
        for (String attempt : List.of("..", ".", "", "../../admin/clients", "a/b", "a\\b")) {
            ToolException e = assertThrows(ToolException.class, () -> get.build(Map.of("id", attempt)), attempt);
            assertTrue(e.getMessage().contains("argument 'id'"), e.getMessage());
        }
        assertEquals("http://localhost:9080/tasks/api/tasks/..a", get.build(Map.of("id", "..a")).target().toString());
    }

    @Test
    void buildWhenQueryArgumentsThenFormStyleWithExplodedOrCommaArrays() {
        HttpOperation list = operation("GET", "/api/tasks", Optional.empty(),
                new Parameter("tag", In.QUERY, false, true), new Parameter("id", In.QUERY, false, false),
                new Parameter("limit", In.QUERY, false, true), new Parameter("ratio", In.QUERY, false, true),
                new Parameter("done", In.QUERY, false, true), new Parameter("q", In.QUERY, false, true),
                new Parameter("absent", In.QUERY, false, true));
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("tag", List.of("a b", "c&d"));
        arguments.put("id", List.of(1, 2));
        arguments.put("limit", 20L);
        arguments.put("ratio", 0.5);
        arguments.put("done", true);
        arguments.put("q", "x=1&admin=true");
        assertEquals("http://localhost:9080/tasks/api/tasks?tag=a%20b&tag=c%26d&id=1%2C2&limit=20&ratio=0.5&done=true"
                + "&q=x%3D1%26admin%3Dtrue", list.build(arguments).target().toString());
        assertEquals("limit=3", list.build(Map.of("limit", 3.0)).target().getRawQuery(), "a whole double");
    }

    @Test
    void buildWhenHeaderArgumentHasLineBreaksOrNonAsciiThenToolError() {
        HttpOperation get = operation("GET", "/api/tasks", Optional.empty(),
                new Parameter("X-Request-Id", In.HEADER, false, false));
        assertEquals(List.of(Map.entry("X-Request-Id", "abc-1,2")),
                get.build(Map.of("X-Request-Id", List.of("abc-1", 2))).headers());
        for (String attempt : List.of("a\r\nAuthorization: Bearer stolen", "a\nb", "a\u0000", "é")) {
            ToolException e = assertThrows(ToolException.class, () -> get.build(Map.of("X-Request-Id", attempt)));
            assertTrue(e.getMessage().contains("header"), e.getMessage());
        }
    }

    @Test
    void apiRequestWhenHeaderReservedOrNotATokenThenRefused() {
        URI target = URI.create("http://localhost:9080/api");
        for (String name : List.of("Authorization", "cookie", "Host", "Content-Length", "Transfer-Encoding",
                "X-Forwarded-For", "Bad Name", "a:b", "")) {
            assertThrows(IllegalArgumentException.class,
                    () -> new ApiRequest("GET", target, List.of(Map.entry(name, "x")), Optional.empty()), name);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new ApiRequest("GET", target, List.of(Map.entry("X-A", "1\r\n2")), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new ApiRequest("CONNECT", target, List.of(), Optional.empty()));
    }

    @Test
    void buildWhenBodyThenJsonOfTheBodyArgumentAndRequiredChecked() {
        HttpOperation post = operation("POST", "/api/tasks", Optional.of(true));
        ApiRequest request = post.build(Map.of("body", Map.of("title", "Ship \"it\"\n", "tags", List.of("a"))));
        assertEquals("POST", request.method());
        assertTrue(request.jsonBody().orElseThrow().contains("\"title\":\"Ship \\\"it\\\"\\n\""),
                request.jsonBody().orElseThrow());
        assertThrows(ToolException.class, () -> post.build(Map.of()));
        assertEquals(Optional.empty(), operation("PATCH", "/api/tasks", Optional.of(false)).build(Map.of()).jsonBody());
    }

    @Test
    void buildWhenObjectWhereAPlainValueGoesOrRequiredMissingThenToolError() {
        HttpOperation list = operation("GET", "/api/tasks", Optional.empty(), new Parameter("q", In.QUERY, true, true));
        assertThrows(ToolException.class, () -> list.build(Map.of("q", Map.of("a", 1))));
        assertThrows(ToolException.class, () -> list.build(Map.of("q", List.of(Map.of()))));
        assertThrows(ToolException.class, () -> list.build(Map.of()));
    }
}
