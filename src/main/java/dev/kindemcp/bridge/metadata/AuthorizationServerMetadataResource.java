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
 * Serves the authorization-server metadata at the RFC 8414 well-known URI and, identically, at the OpenID
 * Connect discovery URI that 2025-11-25 and later MCP clients also probe.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-3">RFC 8414 §3 Obtaining Authorization Server Metadata</a>
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig">OpenID Connect Discovery 1.0 §4</a>
 */
@Path(Endpoints.WELL_KNOWN)
@ApplicationScoped
public class AuthorizationServerMetadataResource {

    @Inject
    MetadataService metadata;

    @GET
    @Path("oauth-authorization-server")
    @Produces(MediaType.APPLICATION_JSON)
    public Response oauthAuthorizationServer() {
        return MetadataResponses.json(metadata.authorizationServerMetadata());
    }

    @GET
    @Path("openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Response openidConfiguration() {
        return MetadataResponses.json(metadata.authorizationServerMetadata());
    }
}
