package dev.kindemcp.bridge.resource;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The names of the tools a JSON-RPC request body calls ({@code tools/call}), for a single message or a batch
 * (MCP 2025-03-26); anything unreadable names no tool and is left to the MCP server to answer.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#calling-tools">MCP 2025-11-25 Tools: "Calling Tools"</a>
 * @see <a href="https://www.jsonrpc.org/specification#batch">JSON-RPC 2.0 §6 Batch</a>
 */
final class ToolCalls {

    static final String TOOLS_CALL = "tools/call";

    private ToolCalls() {
    }

    static List<String> names(byte[] body) {
        String json = new String(body, StandardCharsets.UTF_8).strip();
        List<String> names = new ArrayList<>();
        try {
            if (json.startsWith("[")) {
                for (Object message : JSONArrayUtils.parse(json)) {
                    add(message, names);
                }
            } else if (json.startsWith("{")) {
                add(JSONObjectUtils.parse(json), names);
            }
        } catch (ParseException | RuntimeException | StackOverflowError e) {
            return List.of();
        }
        return names;
    }

    private static void add(Object message, List<String> names) {
        if (message instanceof Map<?, ?> object && TOOLS_CALL.equals(object.get("method"))
                && object.get("params") instanceof Map<?, ?> params && params.get("name") instanceof String name) {
            names.add(name);
        }
    }
}
