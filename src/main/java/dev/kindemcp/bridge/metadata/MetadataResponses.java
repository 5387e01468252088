package dev.kindemcp.bridge.metadata;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Renders a metadata document: JSON, cacheable for five minutes by clients and proxies.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-3.2">RFC 8414 §3.2 Authorization Server Metadata Response</a>
 */
final class MetadataResponses {

    private MetadataResponses() {
    }

    static Response json(String body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "public, max-age=300")
                .build();
    }
}
