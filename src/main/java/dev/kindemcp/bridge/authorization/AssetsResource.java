package dev.kindemcp.bridge.authorization;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves the stylesheet of the bridge's pages from the WAR itself, so that the pages load nothing from
 * anywhere else.
 *
 * <p>Related specifications:
 * @see <a href="https://www.w3.org/TR/CSP3/#directive-style-src">Content Security Policy Level 3 §6.1.12 style-src</a>
 */
@Path(Pages.STYLESHEET)
@ApplicationScoped
public class AssetsResource {

    private final String css;

    public AssetsResource() {
        try (InputStream in = AssetsResource.class.getResourceAsStream("bridge.css")) {
            css = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Produces("text/css")
    public Response stylesheet() {
        return Response.ok(css).header("Cache-Control", "public, max-age=3600")
                .header("X-Content-Type-Options", "nosniff").build();
    }
}
