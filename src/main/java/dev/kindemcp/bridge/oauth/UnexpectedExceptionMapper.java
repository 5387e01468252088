package dev.kindemcp.bridge.oauth;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Last line of defence: a failure the code did not map becomes an OAuth {@code server_error} with a reference
 * for the log, never a stack trace; JAX-RS's own errors (404, 405, 415) keep their status.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2 Error Response</a>
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @jakarta.ws.rs.core.Context
    jakarta.ws.rs.core.UriInfo uri;

    @jakarta.inject.Inject
    jakarta.enterprise.inject.Instance<UnavailablePage> pages;

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            Response original = web.getResponse();
            return NoStore.apply(Response.fromResponse(original).type(MediaType.APPLICATION_JSON))
                    .entity("{\"error\":\"invalid_request\",\"error_description\":\"HTTP "
                            + original.getStatus() + "\"}")
                    .build();
        }
        String reference = UUID.randomUUID().toString();
        if (StorageFailures.isStorageFailure(failure)) {
            // security-catalogue DB-04: the transaction was rolled back, nothing was spent; the client may retry
            LOG.log(Level.WARNING, "database failure, transaction rolled back, reference " + reference, failure);
            java.util.Optional<Response> page = pages.isResolvable() && uri != null
                    ? pages.get().forPath("/" + uri.getPath().replaceFirst("^/+", "")) : java.util.Optional.empty();
            if (page.isPresent()) {
                return page.get();
            }
            return NoStore.apply(Response.status(503).type(MediaType.APPLICATION_JSON))
                    .header("Retry-After", String.valueOf(StorageFailures.RETRY_AFTER_SECONDS))
                    .entity("{\"error\":\"temporarily_unavailable\",\"error_description\":\"the server could not "
                            + "store the request; nothing was used up, retry (reference " + reference + ")\"}")
                    .build();
        }
        LOG.log(Level.SEVERE, "unexpected failure, reference " + reference, failure);
        return NoStore.apply(Response.serverError().type(MediaType.APPLICATION_JSON)).entity("{\"error\":\"server_error\",\"error_description\":\"reference " + reference + "\"}")
                .build();
    }
}
