package dev.kindemcp.bridge.account;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kindemcp.bridge.account.ConnectedApps.ConnectedApp;
import dev.kindemcp.bridge.account.ConnectedApps.Filter;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.NoStore;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.registration.ClientRegistrationService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connected-apps page's operations for automation (issue 15.4), for the operator token or a Kinde token
 * with the operator permission ({@link Operators}): {@code GET /admin/connected-apps?user=&client=&org=} lists,
 * {@code DELETE /admin/connected-apps?user=&client=} ends one user's grants to one client, and
 * {@code DELETE /admin/connected-apps/client?client=} deletes a client for everybody.
 */
@Path(Endpoints.ADMIN_CONNECTED_APPS)
@ApplicationScoped
public class AdminConnectedAppsResource {

    @Inject
    Operators operators;

    @Inject
    ConnectedApps apps;

    @Inject
    ClientRegistrationService registrations;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("user") String user, @QueryParam("client") String client,
            @QueryParam("org") String org, @Context HttpServletRequest request) {
        operators.authorize(request);
        List<Map<String, Object>> list = new ArrayList<>();
        for (ConnectedApp app : apps.list(Filter.of(user, client, org))) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("user", app.user());
            json.put("client_id", app.clientId());
            app.clientName().ifPresent(name -> json.put("client_name", name));
            app.redirectHost().ifPresent(host -> json.put("redirect_host", host));
            json.put("scopes", app.scopes());
            json.put("organisations", app.organisations());
            json.put("first_use", app.firstUse().toString());
            json.put("last_use", app.lastUse().toString());
            json.put("live_grants", app.liveGrants());
            list.add(json);
        }
        return NoStore.apply(Response.ok().type(MediaType.APPLICATION_JSON_TYPE))
                .entity(JSONObjectUtils.toJSONString(Map.of("connected_apps", list))).build();
    }

    @DELETE
    public Response revoke(@QueryParam("user") String user, @QueryParam("client") String client,
            @Context HttpServletRequest request) {
        String actor = operators.authorize(request);
        if (user == null || user.isBlank() || client == null || client.isBlank()) {
            throw new OAuthException(com.nimbusds.oauth2.sdk.OAuth2Error.INVALID_REQUEST,
                    "name the user and the client whose grants end");
        }
        return (apps.revoke(user, client, actor) ? Response.noContent() : Response.status(404)).build();
    }

    @DELETE
    @Path("client")
    public Response deleteClient(@QueryParam("client") String client, @Context HttpServletRequest request) {
        String actor = operators.authorize(request);
        if (client == null || client.isBlank()) {
            throw new OAuthException(com.nimbusds.oauth2.sdk.OAuth2Error.INVALID_REQUEST, "name the client to delete");
        }
        registrations.deleteByOperator(client, actor);
        return Response.noContent().build();
    }
}
