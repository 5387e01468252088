package dev.kindemcp.bridge.tools.otherwar;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * An in-house API in another WAR, protected only by the server's MicroProfile JWT configuration against Kinde
 * and a Kinde permission in {@code @RolesAllowed}: no bridge classes (test only).
 */
@Path("/items")
@RequestScoped
public class InventoryResource {

    @Inject
    JsonWebToken token;

    @GET
    @RolesAllowed("read:notes")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> items() {
        return Map.of("issuer", token.getIssuer(), "subject", String.valueOf(token.getSubject()),
                "org_code", String.valueOf((Object) token.getClaim("org_code")));
    }
}
