package dev.kindemcp.bridge.mcp;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a method of a CDI bean as an MCP tool. Its input schema is derived from the parameters (see
 * {@link ToolParam}); a parameter of type {@link dev.kindemcp.bridge.resource.Caller} receives the verified
 * caller instead. The method returns a {@code String} (text), a record, {@code Map} or {@code List} (structured
 * content), or a {@code CallToolResult}; it throws {@link ToolException} for an error the caller should read.
 *
 * <p>Two different gates, as in the MCP authorization model: {@link #scope()} is what the <em>client</em> was
 * granted on the consent page (missing: HTTP 403 {@code insufficient_scope}, so the client can step up), and
 * {@link #permission()} is what the Kinde <em>user or machine</em> may do (missing: a tool error, never a
 * step-up). Tools whose permission the caller lacks are not listed to it.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools">MCP 2025-11-25 Tools</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#scope-challenge-handling">MCP 2025-11-25 Authorization: "Scope Challenge Handling"</a>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface McpTool {

    /** The tool name (letters, digits, {@code _ - .}); the method name when empty. */
    String name() default "";

    /** What the tool does, for the model and the person approving its use. */
    String description();

    /** A human-readable title. */
    String title() default "";

    /** The bridge scope the client needs; empty means the bridge's default scope. */
    String scope() default "";

    /** The Kinde permission the user or machine needs; empty means none. */
    String permission() default "";

    /** The tool only reads (MCP {@code readOnlyHint}). */
    boolean readOnly() default false;
}
