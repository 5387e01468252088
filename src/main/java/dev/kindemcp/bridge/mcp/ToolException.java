package dev.kindemcp.bridge.mcp;

/**
 * A tool failure the caller should read: it becomes a tool result with {@code isError: true} and this message
 * (never a stack trace), so the model can tell the person what went wrong.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#error-handling">MCP 2025-11-25 Tools: "Error Handling"</a>
 */
public class ToolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ToolException(String message) {
        super(message);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
