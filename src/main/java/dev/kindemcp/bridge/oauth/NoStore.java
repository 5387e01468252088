package dev.kindemcp.bridge.oauth;

import jakarta.ws.rs.core.Response;

/**
 * Marks responses that carry tokens, secrets or errors as never to be cached.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.1">RFC 6749 §5.1 Successful Response (Cache-Control: no-store)</a>
 */
public final class NoStore {

    private NoStore() {
    }

    public static Response.ResponseBuilder apply(Response.ResponseBuilder builder) {
        return builder.header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }
}
