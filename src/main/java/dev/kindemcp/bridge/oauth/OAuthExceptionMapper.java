package dev.kindemcp.bridge.oauth;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Logger;
import net.minidev.json.JSONObject;

/**
 * Renders every {@link OAuthException} as the JSON error body of RFC 6749 §5.2, uncacheable.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2 Error Response</a>
 */
@Provider
public class OAuthExceptionMapper implements ExceptionMapper<OAuthException> {

    private static final Logger LOG = Logger.getLogger(OAuthExceptionMapper.class.getName());

    @Override
    public Response toResponse(OAuthException exception) {
        exception.internalDetail().ifPresent(detail -> LOG.info(() -> exception.error().getCode() + ": " + detail));
        JSONObject body = exception.error().toJSONObject();
        int status = exception.error().getHTTPStatusCode() > 0 ? exception.error().getHTTPStatusCode() : 400;
        Response.ResponseBuilder response = NoStore.apply(Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE).entity(body.toJSONString()));
        if (exception instanceof BearerException bearer) {
            response.header("WWW-Authenticate", bearer.wwwAuthenticate());
        }
        exception.challenge().ifPresent(c -> response.header("WWW-Authenticate", c));
        exception.retryAfterSeconds().ifPresent(seconds -> response.header("Retry-After", seconds));
        return response.build();
    }
}
