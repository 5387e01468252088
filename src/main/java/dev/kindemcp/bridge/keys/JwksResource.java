package dev.kindemcp.bridge.keys;

import dev.kindemcp.bridge.oauth.Endpoints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/**
 * Publishes the public halves of the current, next and previous signing keys, for resources that verify
 * bridge access tokens.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-2">RFC 8414 §2 (jwks_uri)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7517#section-5">RFC 7517 §5 JWK Set Format</a>
 */
@Path(Endpoints.JWKS)
@ApplicationScoped
public class JwksResource {

    static final String JWK_SET_MEDIA_TYPE = "application/jwk-set+json";

    @Inject
    SigningKeyService keys;

    @GET
    @Produces({JWK_SET_MEDIA_TYPE, "application/json"})
    public Response jwks() {
        // RFC 7517 §5: a published JWK Set carries public members only
        String body = keys.publishedKeys().toPublicJWKSet().toString();
        return Response.ok(body).header("Cache-Control", "public, max-age=300").build();
    }
}
