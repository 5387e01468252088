package dev.kindemcp.bridge.authorization;

import jakarta.ws.rs.core.NewCookie;
import java.util.Map;
import java.util.Optional;

/**
 * The two cookies of the authorization path: one that names the browser (consents and CSRF tokens are bound
 * to it) and one per login that binds the Kinde callback to the browser that approved it. Both are
 * {@code __Host-} cookies: Secure, HttpOnly, SameSite=Lax, Path=/, no Domain; their values are random and the
 * server keeps only hashes.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6265bis#section-4.1.3.2">RFC 6265bis §4.1.3.2 The "__Host-" Prefix</a>
 * @see <a href="https://modelcontextprotocol.io/docs/tutorials/security/security_best_practices#consent-cookie-security">MCP Security Best Practices: "Consent Cookie Security"</a>
 */
public final class BrowserCookies {

    static final String BROWSER = "__Host-kmb-browser";
    static final String FLOW_PREFIX = "__Host-kmb-flow-";
    static final int BROWSER_MAX_AGE = 365 * 24 * 3600;
    static final int FLOW_MAX_AGE = 600;

    private BrowserCookies() {
    }

    static NewCookie browser(String value) {
        return cookie(BROWSER, value, BROWSER_MAX_AGE);
    }

    /** The flow cookie's name for one authorization request (a prefix of its id). */
    static String flowName(String requestId) {
        return FLOW_PREFIX + requestId.substring(0, Math.min(12, requestId.length()));
    }

    public static NewCookie flow(String requestId, String value) {
        return cookie(flowName(requestId), value, FLOW_MAX_AGE);
    }

    static NewCookie expireFlow(String requestId) {
        return cookie(flowName(requestId), "", 0);
    }

    public static Optional<String> value(Map<String, jakarta.ws.rs.core.Cookie> cookies, String name) {
        return Optional.ofNullable(cookies.get(name)).map(jakarta.ws.rs.core.Cookie::getValue)
                .filter(v -> v.matches("[A-Za-z0-9_-]{20,100}"));
    }

    private static NewCookie cookie(String name, String value, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").secure(true).httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).maxAge(maxAge).build();
    }
}
