package dev.kindemcp.bridge.resource;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.RequestParameters;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Guards the MCP endpoint: only the bridge's own access tokens for this resource, in the Authorization header;
 * answers 401 with the protected-resource metadata challenge for every method (never a redirect), 403 for
 * foreign browser origins and organisations outside the allowlist, 400 for ambiguous credentials. The endpoint
 * is stateless ({@link dev.kindemcp.bridge.mcp.McpEndpoint}): there are no MCP sessions, so every request is
 * authorized by its own token on whichever instance it reaches.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3 The WWW-Authenticate Response Header Field</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728#section-5.1">RFC 9728 §5.1 WWW-Authenticate Response</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#security-warning">MCP 2025-11-25 Transports: "Security Warning" (Origin)</a>
 */
@WebFilter(filterName = "mcp-access", urlPatterns = {Endpoints.MCP, Endpoints.MCP + "/*"}, asyncSupported = true)
public class McpAccessFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    /** Largest JSON-RPC request body read for the scope check (the SDK's own limit is smaller). */
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Session-Id, "
            + "Last-Event-ID";

    @Inject
    transient BridgeConfig config;

    @Inject
    transient dev.kindemcp.bridge.telemetry.BridgeMetrics metrics;

    @Inject
    transient BridgeTokenVerifier verifier;

    @Inject
    transient Instance<ToolScopes> toolScopes;

    /** HTTP 413 with a JSON-RPC error naming the limit. */
    private static void tooLarge(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        response.setContentType("application/json");
        response.setHeader("Connection", "close");
        response.getWriter().write("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":"
                + "\"the request body exceeds " + MAX_BODY_BYTES + " bytes\"}}");
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        if (origin != null) {
            // MCP Transports: servers MUST validate Origin to prevent DNS rebinding; 403 when it is not allowed
            if (!allowedOrigin(origin)) {
                metrics.refused("mcp", HttpServletResponse.SC_FORBIDDEN);
                response.sendError(HttpServletResponse.SC_FORBIDDEN);
                return;
            }
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Vary", "Origin");
            response.setHeader("Access-Control-Expose-Headers", "WWW-Authenticate");
            if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
                response.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
                response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                return;
            }
        }
        List<String> authorizations = Collections.list(request.getHeaders("Authorization"));
        // only the query string: getParameterMap() would read and parse a form-encoded body before the token check
        boolean queryToken = RequestParameters.parse(request.getQueryString()).count("access_token") > 0;
        if (authorizations.size() > 1 || (authorizations.size() == 1 && queryToken)) {
            // RFC 6750 §2: exactly one way of sending the token
            challenge(response, 400, "invalid_request", "send the bearer token once, in the Authorization header");
            return;
        }
        Optional<String> token = authorizations.stream().filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim()).findFirst();
        if (token.isEmpty()) {
            // RFC 6750 §3.1: no credentials, no error code; RFC 9728 §5.1: point to the metadata
            challenge(response, 401, null, null);
            return;
        }
        Optional<JWTClaimsSet> claims = verifier.verify(token.get(), Optional.of(config.mcpResource()));
        if (claims.isEmpty()) {
            challenge(response, 401, "invalid_token", "the access token is not valid for this resource");
            return;
        }
        Caller caller = Caller.fromBridgeToken(claims.get());
        if (!config.allowsOrganisation(caller.orgCode())) {
            metrics.refused("mcp", HttpServletResponse.SC_FORBIDDEN);
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        HttpServletRequest forwarded = request;
        if ("POST".equals(request.getMethod())) {
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                // refused before a byte of it is read (README "MCP endpoint" names the limit)
                tooLarge(response);
                return;
            }
            byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                tooLarge(response);
                return;
            }
            Set<String> missing = new TreeSet<>();
            for (String tool : ToolCalls.names(body)) {
                toolScopes.get().scopeFor(tool).filter(scope -> !caller.hasScope(scope)).ifPresent(missing::add);
            }
            if (!missing.isEmpty()) {
                // MCP 2025-11-25 Authorization: "Scope Challenge Handling": 403 insufficient_scope with the scopes
                // needed; the granted ones are repeated because 1.x SDK clients re-authorize with exactly these
                Set<String> needed = new TreeSet<>(caller.scopes());
                needed.retainAll(config.scopesSupported());
                needed.addAll(missing);
                challenge(response, 403, "insufficient_scope", "this tool needs the scope "
                        + String.join(" ", missing), needed);
                return;
            }
            forwarded = new BufferedRequest(request, body);
        }
        forwarded.setAttribute(Caller.ATTRIBUTE, caller);
        chain.doFilter(forwarded, response);
    }

    /** The bridge's own origin and loopback origins (local tools such as the Inspector). */
    private boolean allowedOrigin(String origin) {
        if (origin.equals(config.issuerId())) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            String host = uri.getHost();
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && ("localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void challenge(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        challenge(response, status, error, description, new java.util.LinkedHashSet<>(config.defaultScopes()));
    }

    private void challenge(HttpServletResponse response, int status, String error, String description,
            Set<String> scopes) throws IOException {
        StringBuilder header = new StringBuilder("Bearer ");
        if (error != null) {
            header.append("error=\"").append(error).append("\", ");
            if (description != null) {
                header.append("error_description=\"").append(description).append("\", ");
            }
        }
        header.append("resource_metadata=\"").append(config.url(Endpoints.PROTECTED_RESOURCE_METADATA + Endpoints.MCP))
                .append("\", scope=\"").append(String.join(" ", scopes)).append('"');
        if (status == 401 || status == 403) {
            metrics.refused("mcp", status);
        }
        response.setStatus(status);
        response.setHeader("WWW-Authenticate", header.toString());
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.getWriter().write(error == null ? "{}" : "{\"error\":\"" + error + "\"}");
    }
}
