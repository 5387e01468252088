package dev.kindemcp.bridge.kinde;

import dev.kindemcp.bridge.oauth.Endpoints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/**
 * Serves Kinde's public signing keys from the bridge's rate-limited cache, as the key location of the
 * MicroProfile JWT verifier that protects the tool APIs: Liberty refetches its key location on every token with
 * an unknown {@code kid}, and this endpoint turns that into at most one request to Kinde per 30 s.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7517#section-5">RFC 7517 §5 JWK Set Format</a>
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-jwt-auth-2.1/microprofile-jwt-auth-spec-2.1.html#_supported_public_key_formats">MicroProfile JWT 2.1 §9.2 Supported Public Key Formats</a>
 */
@Path(Endpoints.KINDE_KEYS)
@ApplicationScoped
public class KindeKeysResource {

    @Inject
    KindeGateway kinde;

    @GET
    @Produces("application/json")
    public Response keys() {
        try {
            return Response.ok(kinde.publicKeys().toString()).header("Cache-Control", "no-store").build();
        } catch (KindeUpstreamException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .header("Retry-After", KindeUpstreamException.RETRY_AFTER.toSeconds())
                    .entity("{\"error\":\"temporarily_unavailable\"}").build();
        }
    }
}
