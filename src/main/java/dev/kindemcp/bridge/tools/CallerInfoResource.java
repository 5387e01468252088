package dev.kindemcp.bridge.tools;

import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.resource.Caller;
import dev.kindemcp.bridge.resource.ToolApi;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The sample tool API's "who am I": what a Kinde-protected API learns from the token it was sent, including
 * the token's issuer, so that a caller can see that the bridge presented a Kinde token and not its own.
 */
@Path(Endpoints.TOOL_APIS + "/me")
@RequestScoped
@ToolApi
public class CallerInfoResource {

    @Inject
    Caller caller;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> me(@Context SecurityContext security) {
        JsonWebToken token = (JsonWebToken) security.getUserPrincipal();
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("subject", caller.subject());
        me.put("kind", caller.machine() ? "machine" : "user");
        me.put("org_code", caller.orgCode().orElse(null));
        me.put("permissions", List.copyOf(new TreeSet<>(caller.permissions())));
        me.put("feature_flags", caller.featureFlags());
        me.put("token_issuer", token.getIssuer());
        me.put("token_audience", List.copyOf(new TreeSet<>(token.getAudience())));
        return me;
    }
}
