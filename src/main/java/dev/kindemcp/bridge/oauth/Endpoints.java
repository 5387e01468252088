package dev.kindemcp.bridge.oauth;

/**
 * Paths of every endpoint the bridge serves, relative to the issuer origin.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-3">RFC 8414 §3 Obtaining Authorization Server Metadata</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728#section-3">RFC 9728 §3 Obtaining Protected Resource Metadata</a>
 */
public final class Endpoints {

    public static final String WELL_KNOWN = "/.well-known";
    public static final String AUTHORIZATION_SERVER_METADATA = WELL_KNOWN + "/oauth-authorization-server";
    public static final String OPENID_CONFIGURATION = WELL_KNOWN + "/openid-configuration";
    public static final String PROTECTED_RESOURCE_METADATA = WELL_KNOWN + "/oauth-protected-resource";
    public static final String JWKS = WELL_KNOWN + "/jwks.json";
    public static final String MCP = "/mcp";
    public static final String AUTHORIZATION = "/authorize";
    public static final String CONSENT = AUTHORIZATION + "/consent";
    public static final String KINDE_CALLBACK = "/kinde/callback";
    /** Kinde's public keys, served from the bridge's rate-limited cache to the MicroProfile JWT verifier. */
    public static final String KINDE_KEYS = "/kinde/jwks";
    /** Where the co-deployed tool APIs live (MicroProfile JWT against Kinde applies under it). */
    public static final String TOOL_APIS = "/api";
    public static final String TOKEN = "/token";
    public static final String REVOCATION = "/revoke";
    public static final String INTROSPECTION = "/introspect";
    public static final String REGISTRATION = "/register";
    public static final String ADMIN_CLIENTS = "/admin/clients";
    public static final String ADMIN_OPENAPI = "/admin/openapi";
    public static final String ADMIN_KEYS = "/admin/keys";
    public static final String ADMIN_CONNECTED_APPS = "/admin/connected-apps";
    public static final String ACCOUNT = "/account";

    private Endpoints() {
    }
}
