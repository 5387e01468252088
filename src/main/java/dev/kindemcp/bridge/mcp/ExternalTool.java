package dev.kindemcp.bridge.mcp;

import dev.kindemcp.bridge.resource.Caller;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/**
 * A tool the {@link ToolRegistry} serves beside the {@link McpTool} methods, declared outside Java code (an
 * operation of an OpenAPI document). It follows the same model: a bridge scope the client needs (a 403 step-up
 * when missing) and a Kinde identity check (hidden from {@code tools/list} and a tool error when it fails).
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools">MCP 2025-11-25 Tools</a>
 */
public interface ExternalTool {

    String name();

    /** The bridge scope the client needs. */
    String scope();

    /** Whether the caller's Kinde identity (permissions, person or machine) may call this tool. */
    boolean allowedFor(Caller caller);

    /** Why {@link #allowedFor} said no, for the caller to read. */
    String refusal(Caller caller);

    /** The MCP description ({@code tools/list}). */
    McpSchema.Tool describe();

    /**
     * Runs the tool for a caller that passed both checks, inside a CDI request context in which
     * {@link dev.kindemcp.bridge.resource.CurrentCaller} is that caller. A {@link ToolException} becomes a
     * tool error with its message.
     */
    McpSchema.CallToolResult call(Map<String, Object> arguments, Caller caller);
}
