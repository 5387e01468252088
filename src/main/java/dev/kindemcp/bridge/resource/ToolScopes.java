package dev.kindemcp.bridge.resource;

import java.util.Optional;

/**
 * The bridge scope each MCP tool needs, so that the MCP endpoint's guard can answer a tool call the client's
 * token does not cover with a 403 {@code insufficient_scope} challenge before the call runs.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#scope-challenge-handling">MCP 2025-11-25 Authorization: "Scope Challenge Handling"</a>
 */
public interface ToolScopes {

    /** The scope tool {@code name} needs, or empty for an unknown tool. */
    Optional<String> scopeFor(String name);
}
