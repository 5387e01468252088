package dev.kindemcp.bridge.registration;

import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.NoStore;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.SourceAddress;
import dev.kindemcp.bridge.telemetry.BridgeMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The registration endpoint (RFC 7591) and the client configuration endpoint (RFC 7592).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3">RFC 7591 §3 Client Registration Endpoint</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7592#section-2">RFC 7592 §2 Client Configuration Endpoint</a>
 */
@Path(Endpoints.REGISTRATION)
@ApplicationScoped
public class RegistrationResource {

    @Inject
    BridgeMetrics metrics;

    @Inject
    ClientRegistrationService registrations;

    @Inject
    RegistrationRateLimiter limiter;

    @Inject
    BridgeConfig config;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(@Context HttpServletRequest request) {
        try {
            limiter.acquire(new SourceAddress(config.registration().trustedProxies()).keyOf(request));
            registrations.checkInitialAccessToken(RegistrationRequests.bearer(request));
            var body = RegistrationRequests.json(request, config.registration().maxRequestBytes());
            // RFC 7591 §3.2.1: 201 Created with the client information
            return NoStore.apply(Response.status(Response.Status.CREATED).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(registrations.register(body).toJSONObject().toJSONString())).build();
        } catch (OAuthException e) {
            metrics.registration("dcr", e.error().getCode());
            throw e;
        }
    }

    @GET
    @Path("{clientId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response read(@PathParam("clientId") String clientId, @Context HttpServletRequest request) {
        return NoStore.apply(Response.ok(registrations.read(clientId, RegistrationRequests.bearer(request))
                .toJSONObject().toJSONString(), MediaType.APPLICATION_JSON_TYPE)).build();
    }

    @PUT
    @Path("{clientId}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("clientId") String clientId, @Context HttpServletRequest request) {
        var bearer = RegistrationRequests.bearer(request);
        registrations.read(clientId, bearer);
        var body = RegistrationRequests.json(request, config.registration().maxRequestBytes());
        return NoStore.apply(Response.ok(registrations.update(clientId, bearer, body).toJSONObject().toJSONString(),
                MediaType.APPLICATION_JSON_TYPE)).build();
    }

    @DELETE
    @Path("{clientId}")
    public Response delete(@PathParam("clientId") String clientId, @Context HttpServletRequest request) {
        registrations.delete(clientId, RegistrationRequests.bearer(request));
        // RFC 7592 §2.3: 204 No Content
        return NoStore.apply(Response.noContent()).build();
    }
}
