package dev.kindemcp.bridge.openapi;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.NoStore;
import dev.kindemcp.bridge.registration.AdminClientsResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The operator's view of the OpenAPI-declared tools: {@code GET /admin/openapi} shows each document (read,
 * stale, failed or pending), its tools and the operations left out with the reason; {@code POST
 * /admin/openapi/reload} reads every document now. Both need {@code bridge.admin-token}.
 */
@Path(Endpoints.ADMIN_OPENAPI)
@ApplicationScoped
public class AdminOpenApiResource {

    @Inject
    BridgeConfig config;

    @Inject
    OpenApiTools tools;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(@Context HttpServletRequest request) {
        AdminClientsResource.authorizeAdmin(config, request);
        return answer(tools.status());
    }

    @POST
    @Path("reload")
    @Produces(MediaType.APPLICATION_JSON)
    public Response reload(@Context HttpServletRequest request) {
        AdminClientsResource.authorizeAdmin(config, request);
        return answer(tools.reload());
    }

    private static Response answer(List<OpenApiTools.DocumentStatus> statuses) {
        String json = JSONObjectUtils.toJSONString(Map.of("documents",
                statuses.stream().map(OpenApiTools.DocumentStatus::toJson).toList()));
        return NoStore.apply(Response.ok(json, MediaType.APPLICATION_JSON_TYPE)).build();
    }
}
