package dev.kindemcp.bridge.authorization;

import dev.kindemcp.bridge.oauth.NoStore;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.owasp.encoder.Encode;

/**
 * The bridge's own HTML pages on the authorization path (consent and errors): no scripts, no third-party
 * content, every client-supplied string escaped, and the anti-framing, no-referrer and no-store headers.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.16">RFC 9700 §4.16 Clickjacking</a>
 * @see <a href="https://www.w3.org/TR/CSP3/#directive-frame-ancestors">Content Security Policy Level 3 §6.4.2 frame-ancestors</a>
 */
public final class Pages {

    /** Path of the one stylesheet the pages use (served by {@link AssetsResource}). */
    static final String STYLESHEET = "/assets/bridge.css";

    private Pages() {
    }

    /**
     * CS-06: the headers of every page on the authorization path; {@code formTargets} are the origins a form
     * of this page may be redirected to after submission (CSP form-action also governs redirects).
     */
    public static Response.ResponseBuilder headers(Response.ResponseBuilder builder, List<String> formTargets) {
        String formAction = "'self'" + (formTargets.isEmpty() ? "" : " " + String.join(" ", formTargets));
        return NoStore.apply(builder.type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")))
                .header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; "
                        + "script-src 'none'; form-action " + formAction + "; frame-ancestors 'none'; base-uri 'none'")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff");
    }

    /**
     * Whether a form POST came from a page of this server: Fetch Metadata first (browsers send Sec-Fetch-Site;
     * with Referrer-Policy no-referrer, Chrome sends {@code Origin: null} even for same-origin forms), then
     * Origin; a request with neither is judged by its CSRF token and cookie alone.
     */
    public static boolean sameOrigin(String issuer, java.util.Optional<String> origin,
            java.util.Optional<String> fetchSite) {
        if (fetchSite.isPresent()) {
            return fetchSite.get().equals("same-origin");
        }
        return origin.map(o -> o.equals(issuer)).orElse(true);
    }

    /** A page that only informs (errors that must not be redirected). */
    public static Response error(int status, String title, String message) {
        String body = document(title, "<h1>" + Encode.forHtml(title) + "</h1>\n<p>" + Encode.forHtml(message)
                + "</p>\n<p class=\"fine\">You can close this window and start again from your application.</p>");
        return headers(Response.status(status), List.of()).entity(body).build();
    }

    /**
     * A page that explains an error that then goes back to the client: its link leads to the client's
     * validated redirect URI with the OAuth error, so that the application learns how the sign-in ended.
     */
    public static Response explained(int status, String title, String message, java.net.URI backToClient) {
        String body = document(title, "<h1>" + Encode.forHtml(title) + "</h1>\n<p>" + Encode.forHtml(message)
                + "</p>\n<p><a class=\"button\" href=\"" + Encode.forHtmlAttribute(backToClient.toString())
                + "\">Return to the application</a></p>");
        return headers(Response.status(status), List.of()).entity(body).build();
    }

    /** A complete HTML document around {@code main}, which must already be escaped. */
    public static String document(String title, String main) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta name=\"referrer\" content=\"no-referrer\">\n"
                + "<title>" + Encode.forHtml(title) + "</title>\n"
                + "<link rel=\"stylesheet\" href=\"" + STYLESHEET + "\">\n</head>\n<body>\n<main>\n" + main
                + "\n</main>\n</body>\n</html>\n";
    }
}
