package dev.kindemcp.bridge.authorization;

import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.AuthorizationException;
import dev.kindemcp.bridge.oauth.NoStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Renders authorization-endpoint errors: a 302 to the validated redirect URI with {@code error},
 * {@code error_description}, {@code state} and {@code iss}, or, when client or redirect URI cannot be
 * trusted, an HTML page that never redirects.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1">RFC 6749 §4.1.2.1 Error Response</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9207#section-2">RFC 9207 §2 Response Parameter iss</a>
 */
@Provider
public class AuthorizationExceptionMapper implements ExceptionMapper<AuthorizationException> {

    private static final Logger LOG = Logger.getLogger(AuthorizationExceptionMapper.class.getName());

    @Inject
    BridgeConfig config;

    @Override
    public Response toResponse(AuthorizationException exception) {
        String code = exception.error().getCode();
        String description = exception.error().getDescription();
        exception.internalDetail().ifPresent(detail -> LOG.info(() -> code + ": " + detail));
        if (exception.redirect().isEmpty()) {
            // RFC 6749 §4.1.2.1: client or redirect URI not trusted: inform the user, never redirect
            // a refused form is 403; everything else that cannot be redirected is a 400 page
            int status = exception.error().getHTTPStatusCode() == 403 ? 403 : 400;
            return Pages.error(status, "This sign-in request cannot be completed", description == null
                    ? "The request is not valid (" + code + ")." : description + " (" + code + ").");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("error", code);
        if (description != null) {
            parameters.put("error_description", description);
        }
        java.net.URI back = exception.redirect().get().with(parameters, config.issuerId());
        if (exception.explanation().isPresent()) {
            return Pages.explained(exception.error().getHTTPStatusCode(), exception.title(),
                    exception.explanation().get() + ".", back);
        }
        return NoStore.apply(Response.status(Response.Status.FOUND).location(back)).build();
    }
}
