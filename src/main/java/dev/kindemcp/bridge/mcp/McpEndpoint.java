package dev.kindemcp.bridge.mcp;

import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.resource.Caller;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Serves the MCP endpoint with the official MCP Java SDK's Streamable HTTP servlet transport, behind
 * {@link dev.kindemcp.bridge.resource.McpAccessFilter}; the verified {@link Caller} reaches tools through the
 * transport context.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http">MCP 2025-11-25 Transports: "Streamable HTTP"</a>
 */
public class McpEndpoint implements ServletContextListener {

    /** Transport-context key of the caller. */
    public static final String CALLER = "caller";

    private McpSyncServer server;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint(Endpoints.MCP)
                .contextExtractor(request -> {
                    Object caller = request.getAttribute(Caller.ATTRIBUTE);
                    return caller == null ? McpTransportContext.EMPTY : McpTransportContext.create(Map.of(CALLER, caller));
                })
                .build();
        server = McpServer.sync(transport)
                .serverInfo("kinde-mcp-bridge", "0.1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(whoami())
                .build();
        ServletRegistration.Dynamic servlet = event.getServletContext().addServlet("mcp", transport);
        servlet.setAsyncSupported(true);
        servlet.setLoadOnStartup(1);
        servlet.addMapping(Endpoints.MCP, Endpoints.MCP + "/*");
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (server != null) {
            server.closeGracefully();
        }
    }

    /** Tells the caller who the bridge thinks it is: subject, organisation, permissions, scopes. */
    static McpServerFeatures.SyncToolSpecification whoami() {
        McpSchema.Tool tool = McpSchema.Tool.builder().name("whoami")
                .description("Who the bridge knows you as: Kinde user or machine, organisation, permissions and "
                        + "granted scopes.")
                .inputSchema(Map.of("type", "object", "properties", Map.of()))
                .build();
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler((exchange, call) -> {
            Caller caller = (Caller) exchange.transportContext().get(CALLER);
            Map<String, Object> me = new LinkedHashMap<>();
            me.put("subject", caller.subject());
            me.put("kind", caller.machine() ? "machine" : "user");
            me.put("org_code", caller.orgCode().orElse(null));
            me.put("permissions", List.copyOf(new TreeSet<>(caller.permissions())));
            me.put("scopes", List.copyOf(new TreeSet<>(caller.scopes())));
            me.put("client_id", caller.clientId());
            return McpSchema.CallToolResult.builder().structuredContent(me)
                    .addTextContent(caller.subject() + " (" + me.get("kind") + ") in "
                            + caller.orgCode().orElse("no organisation"))
                    .build();
        }).build();
    }
}
