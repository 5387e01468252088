package dev.kindemcp.bridge.token;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.NoStore;
import dev.kindemcp.bridge.oauth.SourceAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * The token endpoint.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.1">RFC 6749 §5.1 Successful Response (Cache-Control: no-store)</a>
 */
@Path(Endpoints.TOKEN)
@ApplicationScoped
public class TokenResource {

    @Inject
    TokenService tokens;

    @Inject
    dev.kindemcp.bridge.config.BridgeConfig config;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@Context HttpServletRequest request) {
        IssuedTokens issued = tokens.exchange(TokenRequests.form(request),
                Optional.ofNullable(request.getHeader("Authorization")),
                new SourceAddress(config.registration().trustedProxies()).keyOf(request));
        return NoStore.apply(Response.ok(JSONObjectUtils.toJSONString(issued.toJson()), MediaType.APPLICATION_JSON_TYPE))
                .build();
    }
}
