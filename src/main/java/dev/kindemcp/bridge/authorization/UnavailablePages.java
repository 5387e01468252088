package dev.kindemcp.bridge.authorization;

import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.StorageFailures;
import dev.kindemcp.bridge.oauth.UnavailablePage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;

/**
 * The page a person sees when the authorization path (the authorization request, the consent form, Kinde's
 * callback) meets a database failure: 503 with Retry-After, in HTML like every page of that path (issue 14.3).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4">RFC 9110 §15.6.4 503 Service Unavailable</a>
 */
@ApplicationScoped
public class UnavailablePages implements UnavailablePage {

    private static final List<String> BROWSER_PATHS = List.of(Endpoints.AUTHORIZATION, Endpoints.KINDE_CALLBACK);

    @Override
    public Optional<Response> forPath(String path) {
        if (BROWSER_PATHS.stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
            return Optional.empty();
        }
        Response page = Pages.error(503, "Please try again in a moment", "The sign-in service cannot reach its "
                + "database right now. Nothing was lost: go back to your application and sign in again in a few seconds.");
        return Optional.of(Response.fromResponse(page)
                .header("Retry-After", String.valueOf(StorageFailures.RETRY_AFTER_SECONDS)).build());
    }
}
