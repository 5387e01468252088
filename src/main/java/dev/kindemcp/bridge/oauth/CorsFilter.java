package dev.kindemcp.bridge.oauth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Lets browser-based MCP clients (such as the Inspector's web UI) read the public discovery documents and
 * keys and register themselves: any origin, without credentials (cookies are never used on these paths).
 *
 * <p>Related specifications:
 * @see <a href="https://fetch.spec.whatwg.org/#http-cors-protocol">Fetch Standard §3.2 CORS protocol</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-3">RFC 8414 §3 Obtaining Authorization Server Metadata</a>
 */
@WebFilter(filterName = "public-cors", urlPatterns = {Endpoints.WELL_KNOWN + "/*", Endpoints.REGISTRATION,
    Endpoints.REGISTRATION + "/*", Endpoints.TOKEN, Endpoints.REVOCATION}, asyncSupported = true)
public class CorsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    static final String ALLOWED_HEADERS = "Authorization, Content-Type, MCP-Protocol-Version, Mcp-Session-Id";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getHeader("Origin") == null) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Access-Control-Allow-Origin", "*");
        response.setHeader("Access-Control-Expose-Headers", "WWW-Authenticate");
        if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
            response.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
            response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            response.setHeader("Access-Control-Max-Age", "86400");
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        chain.doFilter(request, response);
    }
}
