package dev.kindemcp.bridge.registration;

import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.BearerException;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.NoStore;
import dev.kindemcp.bridge.oauth.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The operator's API for confidential clients (machine callers with client_credentials, or back-ends with a
 * secret): create, read, delete. Off unless {@code bridge.admin-token} is set; every call needs it as a
 * bearer token.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2">RFC 6749 §2 Client Registration (by the operator)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4 Client Credentials Grant</a>
 */
@Path(Endpoints.ADMIN_CLIENTS)
@ApplicationScoped
public class AdminClientsResource {

    static final String REALM = "admin";

    @Inject
    ClientRegistrationService registrations;

    @Inject
    BridgeConfig config;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(@Context HttpServletRequest request) {
        authorize(request);
        var body = RegistrationRequests.json(request, config.registration().maxRequestBytes());
        return NoStore.apply(Response.status(Response.Status.CREATED).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(registrations.provision(body).toJSONObject().toJSONString())).build();
    }

    @GET
    @Path("{clientId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response read(@PathParam("clientId") String clientId, @Context HttpServletRequest request) {
        authorize(request);
        return registrations.findProvisioned(clientId)
                .map(c -> NoStore.apply(Response.ok(c.toJSONObject().toJSONString(), MediaType.APPLICATION_JSON_TYPE))
                        .build())
                .orElseThrow(NotFoundException::new);
    }

    @DELETE
    @Path("{clientId}")
    public Response delete(@PathParam("clientId") String clientId, @Context HttpServletRequest request) {
        authorize(request);
        if (!registrations.deleteProvisioned(clientId)) {
            throw new NotFoundException();
        }
        return NoStore.apply(Response.noContent()).build();
    }

    private void authorize(HttpServletRequest request) {
        authorizeAdmin(config, request);
    }

    /**
     * Lets the request through when it carries {@code bridge.admin-token} as its bearer token; 404 when no admin
     * token is configured (the admin API is off), 401 otherwise. Every admin resource calls it first.
     */
    public static void authorizeAdmin(BridgeConfig config, HttpServletRequest request) {
        String adminToken = config.registration().adminToken().orElseThrow(NotFoundException::new);
        String action = request.getMethod() + " " + request.getRequestURI();
        var bearer = RegistrationRequests.bearer(request);
        if (bearer.isEmpty()) {
            throw BearerException.missing(REALM);
        }
        var audit = jakarta.enterprise.inject.spi.CDI.current().select(dev.kindemcp.bridge.audit.AuditLog.class).get();
        if (!Secrets.matches(bearer.get(), Secrets.hash(adminToken))) {
            audit.record("admin", "refused", "action", action);
            throw BearerException.invalid(REALM, "the admin token is not valid");
        }
        audit.record("admin", "authorized", "actor", "operator", "action", action);
    }
}
