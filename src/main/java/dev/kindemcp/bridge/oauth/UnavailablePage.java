package dev.kindemcp.bridge.oauth;

import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * The HTML answer for a browser page (the authorization path) that could not be served because the database is
 * away; implemented where the pages are rendered, used by {@link UnexpectedExceptionMapper}.
 */
public interface UnavailablePage {

    /** A 503 page with Retry-After for a request to {@code path}, or empty when the path is not a browser page. */
    Optional<Response> forPath(String path);
}
