package dev.kindemcp.bridge.resource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A tool-API route (or MCP tool) that acts for a person: system actors (Kinde M2M tokens, machine bridge
 * tokens) are refused with 403 (at a tool API) or a tool error (at the MCP endpoint).
 *
 * <p>Related specifications:
 * @see <a href="https://docs.kinde.com/machine-to-machine-applications/about-m2m/token-structure-and-claims-for-m2m-applications">Kinde: M2M token claims (gty, no sub)</a>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface UsersOnly {
}
