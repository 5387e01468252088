package dev.kindemcp.bridge.mcp;

import dev.kindemcp.bridge.resource.Caller;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import java.util.List;
import java.util.Objects;

/**
 * The {@link ToolRegistry}'s tools for clients of the MCP 2026-07-28 era (the SDK's {@code modern} server): the
 * same list per caller, the same calls and checks as the 2025 era. The registry speaks the SDK's 2025 schema;
 * tool definitions and results cross over as JSON, which both schemas share on the wire.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2026-07-28/server/tools">MCP 2026-07-28 Tools</a>
 */
final class ModernTools implements McpSyncToolRepository {

    private final ToolRegistry registry;
    private final McpJsonMapper json;

    ModernTools(ToolRegistry registry, McpJsonMapper json) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.json = Objects.requireNonNull(json, "json must not be null");
    }

    @Override
    public ToolsPage list(McpRequestContext context, String cursor) {
        Caller caller = McpEndpoint.caller(context.transportContext());
        // MCP Tools: list only what this caller's Kinde identity may call (as in the 2025 era)
        List<McpSchema.Tool> tools = registry.names().stream().filter(name -> registry.allowedFor(name, caller))
                .flatMap(name -> registry.describe(name).stream()).map(this::definition).toList();
        return ToolsPage.of(tools);
    }

    @Override
    public McpSyncTool find(McpRequestContext context, String name) {
        return registry.describe(name).map(tool -> McpSyncTool.of(definition(tool), (call, request) ->
                McpSyncResponse.result((McpSchema.CallToolOutcome) json.convertValue(McpEndpoint.inTrace(
                        call.transportContext(), () -> registry.call(name, request.arguments(),
                                McpEndpoint.caller(call.transportContext()))), McpSchema.CallToolResult.class))))
                .orElse(null);
    }

    private McpSchema.Tool definition(io.modelcontextprotocol.spec.McpSchema.Tool tool) {
        return json.convertValue(tool, McpSchema.Tool.class);
    }
}
