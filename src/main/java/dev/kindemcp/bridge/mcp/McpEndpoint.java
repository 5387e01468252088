package dev.kindemcp.bridge.mcp;

import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.resource.Caller;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.util.List;
import java.util.Map;

/**
 * Serves the MCP endpoint with the official MCP Java SDK's Streamable HTTP servlet transport, behind
 * {@link dev.kindemcp.bridge.resource.McpAccessFilter}, with the tools of the {@link ToolRegistry}; the verified
 * {@link Caller} reaches the registry through the transport context, and {@code tools/list} shows each caller
 * only the tools its Kinde identity may use.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http">MCP 2025-11-25 Transports: "Streamable HTTP"</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#listing-tools">MCP 2025-11-25 Tools: "Listing Tools"</a>
 */
public class McpEndpoint implements ServletContextListener {

    /** Transport-context key of the caller. */
    public static final String CALLER = "caller";

    private McpSyncServer server;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ToolRegistry registry = CDI.current().select(ToolRegistry.class).get();
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint(Endpoints.MCP)
                .contextExtractor(request -> {
                    Object caller = request.getAttribute(Caller.ATTRIBUTE);
                    return caller == null ? McpTransportContext.EMPTY : McpTransportContext.create(Map.of(CALLER, caller));
                })
                .build();
        List<McpServerFeatures.SyncToolSpecification> tools = registry.tools().stream()
                .map(tool -> McpServerFeatures.SyncToolSpecification.builder().tool(ToolRegistry.describe(tool))
                        .callHandler((exchange, call) -> registry.call(call.name(), call.arguments(),
                                caller(exchange.transportContext())))
                        .build())
                .toList();
        server = McpServer.sync(transport)
                .serverInfo("kinde-mcp-bridge", "0.1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools)
                // MCP 2025-11-25 Tools: list only what this caller's Kinde identity may call
                .addToolFilter((context, tool) -> registry.find(tool.name())
                        .map(t -> t.allowedFor(caller(context))).orElse(false))
                .build();
        ServletRegistration.Dynamic servlet = event.getServletContext().addServlet("mcp", transport);
        servlet.setAsyncSupported(true);
        servlet.setLoadOnStartup(1);
        servlet.addMapping(Endpoints.MCP, Endpoints.MCP + "/*");
    }

    private static Caller caller(McpTransportContext context) {
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
    }
}
