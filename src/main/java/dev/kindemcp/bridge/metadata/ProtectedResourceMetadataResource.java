package dev.kindemcp.bridge.metadata;

import dev.kindemcp.bridge.oauth.Endpoints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Serves the MCP endpoint's protected-resource metadata at the path-inserted well-known URI and, for older
 * clients and the spec's fallback, at the root well-known URI.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728#section-3.1">RFC 9728 §3.1 Protected Resource Metadata Request</a>
 */
@Path(Endpoints.PROTECTED_RESOURCE_METADATA)
@ApplicationScoped
public class ProtectedResourceMetadataResource {

    @Inject
    MetadataService metadata;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response root() {
        return MetadataResponses.json(metadata.protectedResourceMetadata());
    }

    @GET
    @Path(Endpoints.MCP)
    @Produces(MediaType.APPLICATION_JSON)
    public Response mcp() {
        return MetadataResponses.json(metadata.protectedResourceMetadata());
    }
}
