package dev.kindemcp.bridge.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tool names the MCP guard reads from JSON-RPC bodies for its scope check. */
class ToolCallsTest {

    static List<String> names(String body) {
        return ToolCalls.names(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void namesWhenToolsCallThenTheToolName() {
        assertEquals(List.of("add_note"), names("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"add_note\",\"arguments\":{\"text\":\"x\"}}}"));
    }

    @Test
    void namesWhenBatchThenEveryCalledTool() {
        assertEquals(List.of("a", "b"), names("[{\"method\":\"tools/call\",\"params\":{\"name\":\"a\"}},"
                + "{\"method\":\"tools/list\"},{\"method\":\"tools/call\",\"params\":{\"name\":\"b\"}}]"));
    }

    @Test
    void namesWhenOtherMethodOrUnreadableThenNone() {
        for (String body : List.of("{\"method\":\"tools/list\"}", "{\"method\":\"tools/call\"}",
                "{\"method\":\"tools/call\",\"params\":{\"name\":7}}", "not json", "", "[1,2]", "\"x\"",
                "{\"method\":\"tools/call\",\"params\":{\"name\":\"a\"}")) {
            assertEquals(List.of(), names(body), body);
        }
    }
}
