package dev.kindemcp.bridge.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * The one servlet at {@code /mcp}: sends each request to the transport of its protocol era. A request of the
 * 2026-07-28 era names its version in {@code params._meta} (and a client that probes with {@code server/discover}
 * does so from its first request); everything else, {@code initialize} included, is of the 2025 era. Both
 * transports are stateless, so any instance of a cluster answers either era.
 *
 * <p>The body was read and buffered by {@link dev.kindemcp.bridge.resource.McpAccessFilter}, so reading it here
 * leaves it for the transport.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2026-07-28/basic/versioning">MCP 2026-07-28 Versioning</a>
 */
final class McpEraServlet extends HttpServlet {

    /** The first protocol version of the stateless era. */
    static final String MODERN_ERA = "2026-07-28";

    /** Where a 2026-era request names its protocol version, in {@code params._meta}. */
    static final String VERSION_META = "io.modelcontextprotocol/protocolVersion";

    private final transient HttpServlet legacy;
    private final transient HttpServlet modern;
    private final transient McpJsonMapper json;

    McpEraServlet(HttpServlet legacy, HttpServlet modern, McpJsonMapper json) {
        this.legacy = Objects.requireNonNull(legacy, "legacy must not be null");
        this.modern = Objects.requireNonNull(modern, "modern must not be null");
        this.json = Objects.requireNonNull(json, "json must not be null");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        boolean modernEra = "POST".equals(request.getMethod()) && modern(request);
        (modernEra ? modern : legacy).service(request, response);
    }

    private boolean modern(HttpServletRequest request) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        try {
            if (json.readValue(body, Object.class) instanceof Map<?, ?> message
                    && message.get("params") instanceof Map<?, ?> params
                    && params.get("_meta") instanceof Map<?, ?> meta && meta.get(VERSION_META) instanceof String) {
                return true;
            }
        } catch (IOException | RuntimeException notJson) {
            return false; // the 2025 transport answers it with its parse error
        }
        String header = request.getHeader("MCP-Protocol-Version");
        return header != null && header.trim().compareTo(MODERN_ERA) >= 0;
    }

    @Override
    public void init() throws ServletException {
        legacy.init(getServletConfig());
        modern.init(getServletConfig());
    }

    @Override
    public void destroy() {
        legacy.destroy();
        modern.destroy();
    }
}
