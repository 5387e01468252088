package dev.kindemcp.bridge.bench;

import dev.kindemcp.bridge.mcp.McpTool;
import dev.kindemcp.bridge.mcp.ToolParam;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The trivial tool of the MCP scenarios: it does nothing, so that a call measures the bridge's own path
 * (authentication, the MCP SDK, the registry). It exists only in the benchmark's WAR, which the benchmark builds
 * from the packaged one; the shipped WAR never contains it.
 */
@ApplicationScoped
public class EchoTool {

    @McpTool(name = "echo", title = "Echo", readOnly = true, description = "Answers with its argument.")
    public Map<String, Object> echo(@ToolParam(description = "Any text", maxLength = 100) String text) {
        return Map.of("text", text);
    }
}
