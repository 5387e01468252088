package dev.kindemcp.bridge.mcp;

import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.resource.Caller;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the MCP endpoint with the official MCP Java SDK's stateless Streamable HTTP servlet transport, behind
 * {@link dev.kindemcp.bridge.resource.McpAccessFilter}, with the tools of the {@link ToolRegistry}; the verified
 * {@link Caller} reaches the registry through the transport context, and {@code tools/list} shows each caller
 * only the tools its Kinde identity may use.
 *
 * <p>Stateless: no {@code Mcp-Session-Id}, no server-to-client stream ({@code GET} is 405), every request stands
 * on its own bearer token. So any instance of a cluster answers any request, without sticky sessions or a
 * shared session store, and there is no session to bind to a user or to hijack. The bridge's tools need no
 * server-to-client messages; the price is that a changed tool list (OpenAPI-declared tools) is seen at the
 * client's next {@code tools/list} rather than announced.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http">MCP 2025-11-25 Transports: "Streamable HTTP" (session management is optional)</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#listing-tools">MCP 2025-11-25 Tools: "Listing Tools"</a>
 */
public class McpEndpoint implements ServletContextListener {

    /** Transport-context key of the caller. */
    public static final String CALLER = "caller";
    static final String TRACE = "kinde-mcp-bridge.trace";

    private volatile McpStatelessSyncServer server;
    private volatile io.modelcontextprotocol.modern.server.McpServer modernServer;
    private final Set<String> served = ConcurrentHashMap.newKeySet();

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ToolRegistry registry = CDI.current().select(ToolRegistry.class).get();
        HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
                .messageEndpoint(Endpoints.MCP)
                .contextExtractor(McpEndpoint::context)
                .build();
        List<McpStatelessServerFeatures.SyncToolSpecification> tools = registry.names().stream()
                .flatMap(name -> specification(registry, name).stream()).toList();
        server = McpServer.sync(transport)
                .serverInfo("kinde-mcp-bridge", "0.1.0")
                // no listChanged: a stateless server has no stream to announce changes on
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools)
                // MCP 2025-11-25 Tools: list only what this caller's Kinde identity may call
                .addToolFilter((context, tool) -> registry.allowedFor(tool.name(), caller(context)))
                .build();
        served.addAll(registry.names());
        registry.onChange(() -> synchronize(registry));
        io.modelcontextprotocol.json.McpJsonMapper json = io.modelcontextprotocol.json.McpJsonDefaults.getMapper();
        // MCP 2026-07-28: stateless by design; server/discover is answered by the SDK from these features
        modernServer = io.modelcontextprotocol.modern.server.McpServer.builder()
                .serverInfo(io.modelcontextprotocol.modern.McpSchema.Implementation.builder("kinde-mcp-bridge", "0.1.0")
                        .build())
                .jsonMapper(json)
                .feature(io.modelcontextprotocol.modern.server.feature.ToolsFeature.ofSync(new ModernTools(registry, json),
                        json, io.modelcontextprotocol.json.McpJsonDefaults.getSchemaValidator(), 0L,
                        io.modelcontextprotocol.modern.McpSchema.CacheScope.PRIVATE))
                .build();
        HttpServlet modern = io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport
                .builder(modernServer)
                .jsonMapper(json)
                .endpoint(Endpoints.MCP)
                .contextExtractor(McpEndpoint::context)
                // McpAccessFilter has checked Origin against the configured origins (DNS rebinding) already
                .httpHeaderValidator(io.modelcontextprotocol.server.transport.ServerHttpHeaderValidator.NOOP)
                .maxRequestSize(dev.kindemcp.bridge.resource.McpAccessFilter.MAX_BODY_BYTES)
                .build();
        ServletRegistration.Dynamic servlet = event.getServletContext().addServlet("mcp",
                new McpEraServlet(transport, modern, json));
        servlet.setAsyncSupported(true);
        servlet.setLoadOnStartup(1);
        servlet.addMapping(Endpoints.MCP, Endpoints.MCP + "/*");
    }

    private static Optional<McpStatelessServerFeatures.SyncToolSpecification> specification(ToolRegistry registry,
            String name) {
        return registry.describe(name).map(tool -> McpStatelessServerFeatures.SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((context, call) -> inTrace(context,
                        () -> registry.call(call.name(), call.arguments(), caller(context))))
                .build());
    }

    /**
     * Brings the SDK's tool list in line with the registry after declared tools changed: every declared tool is
     * added again (its schema may have changed) and the ones gone are removed.
     */
    private synchronized void synchronize(ToolRegistry registry) {
        McpStatelessSyncServer running = server;
        if (running == null) {
            return;
        }
        Set<String> now = new java.util.LinkedHashSet<>(registry.names());
        for (String name : List.copyOf(served)) {
            if (!now.contains(name)) {
                running.removeTool(name);
                served.remove(name);
            }
        }
        for (String name : now) {
            if (registry.find(name).isEmpty() || !served.contains(name)) { // declared, or new
                if (served.contains(name)) {
                    running.removeTool(name);
                }
                specification(registry, name).ifPresent(running::addTool);
                served.add(name);
            }
        }
    }

    /**
     * The verified caller (set by McpAccessFilter) as the transport context of either era, with the trace of the
     * HTTP request (issue 15.2), taken on the request's thread: the SDK may run the handler on another.
     */
    private static McpTransportContext context(jakarta.servlet.http.HttpServletRequest request) {
        Object caller = request.getAttribute(Caller.ATTRIBUTE);
        return caller == null ? McpTransportContext.EMPTY
                : McpTransportContext.create(Map.of(CALLER, caller, TRACE, io.opentelemetry.context.Context.current()));
    }

    /** Runs {@code call} with the HTTP request's trace current, so that a tool call's span is its child. */
    static <T> T inTrace(McpTransportContext context, java.util.function.Supplier<T> call) {
        Object trace = context.get(TRACE);
        if (!(trace instanceof io.opentelemetry.context.Context parent)) {
            return call.get();
        }
        try (io.opentelemetry.context.Scope scope = parent.makeCurrent()) {
            return call.get();
        }
    }

    static Caller caller(McpTransportContext context) {
        Object caller = context.get(CALLER);
        if (!(caller instanceof Caller verified)) {
            throw new IllegalStateException("MCP request without a verified caller");
        }
        return verified;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (server != null) { // null when the start failed; its error is the one to read
            server.closeGracefully();
        }
        if (modernServer != null) {
            modernServer.closeGracefully();
        }
    }
}
