package dev.kindemcp.bridge;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The JAX-RS application of kinde-mcp-bridge, rooted at the origin so that every well-known URI sits at
 * the root of the issuer.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-3">RFC 8414 §3 Obtaining Authorization Server Metadata</a>
 */
@ApplicationPath("/")
public class BridgeApplication extends Application {
}
