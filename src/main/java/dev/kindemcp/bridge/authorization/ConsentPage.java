package dev.kindemcp.bridge.authorization;

import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.registration.KnownClient;
import dev.kindemcp.bridge.registration.RedirectUriPolicy;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.owasp.encoder.Encode;

/**
 * The bridge's own consent page: which client asks (its name, its client_id host for a metadata document),
 * where the answer will go (the redirect host, with a warning when the client can only receive it on this
 * computer), which scopes, for which resource. A plain form, no scripts; every client-supplied string escaped.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/docs/tutorials/security/security_best_practices#consent-ui-requirements">MCP Security Best Practices: "Consent UI Requirements"</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-6.4">CIMD draft-00 §6.4 (show the client_id host)</a>
 */
final class ConsentPage {

    private static final Map<String, String> SCOPE_TEXT = Map.of(
            "mcp:read", "Use the tools of this MCP server that read information for you",
            "mcp:write", "Use the tools of this MCP server that change information for you");

    private ConsentPage() {
    }

    static String render(ValidatedAuthorization request, String transactionId, String csrfToken) {
        KnownClient client = request.client();
        String name = client.name().filter(n -> !n.isBlank()).orElse("An unnamed application");
        String redirectHost = host(request.redirect().redirectUri());
        StringBuilder main = new StringBuilder();
        main.append("<h1>").append(Encode.forHtml(name)).append(" wants to use your account</h1>\n");
        main.append("<p>It asks to act for you on <strong>").append(Encode.forHtml(request.resource()))
                .append("</strong>. Only approve if you started this from ").append(Encode.forHtml(name))
                .append(".</p>\n<dl>\n");
        main.append("<dt>Application</dt><dd>").append(Encode.forHtml(name));
        if (client.origin() == KnownClient.Origin.DCR) {
            main.append(" <span class=\"fine\">(name chosen by the application itself, not verified)</span>");
        }
        main.append("</dd>\n");
        client.clientIdHost().ifPresent(host -> main.append("<dt>Published by</dt><dd>")
                .append(Encode.forHtml(host)).append("</dd>\n"));
        main.append("<dt>Sends you back to</dt><dd>").append(Encode.forHtml(redirectHost)).append("</dd>\n");
        main.append("<dt>Permissions</dt><dd><ul class=\"scopes\">\n");
        for (String scope : request.scopes()) {
            main.append("<li>").append(Encode.forHtml(SCOPE_TEXT.getOrDefault(scope, scope))).append(" <span class=\"fine\">(")
                    .append(Encode.forHtml(scope)).append(")</span></li>\n");
        }
        main.append("</ul></dd>\n</dl>\n");
        if (RedirectUriPolicy.allLoopback(client.redirectUris())) {
            // MCP 2026-07-28 Authorization: "Localhost Redirect URI Risks": warn for localhost-only clients
            main.append("<p class=\"warning\" role=\"note\"><strong>Check this is your own program.</strong> "
                    + "This application receives the answer on this computer (")
                    .append(Encode.forHtml(redirectHost))
                    .append("). Any program running here could pretend to be it.</p>\n");
        }
        main.append("<form method=\"post\" action=\"").append(Endpoints.CONSENT).append("\">\n")
                .append("<input type=\"hidden\" name=\"transaction\" value=\"").append(Encode.forHtmlAttribute(transactionId))
                .append("\">\n<input type=\"hidden\" name=\"csrf_token\" value=\"").append(Encode.forHtmlAttribute(csrfToken))
                .append("\">\n<div class=\"actions\">\n")
                .append("<button type=\"submit\" class=\"approve\" name=\"decision\" value=\"approve\">Approve</button>\n")
                .append("<button type=\"submit\" class=\"deny\" name=\"decision\" value=\"deny\">Deny</button>\n")
                .append("</div>\n</form>\n<p class=\"fine\">After you approve, you sign in with your organisation's "
                        + "account.</p>");
        return Pages.document("Approve " + name, main.toString());
    }

    /** Where a form of this request may lead after submission: Kinde and the client's redirect origin. */
    static List<String> formTargets(ValidatedAuthorization request, String kindeOrigin) {
        return List.of(kindeOrigin, origin(request.redirect().redirectUri()));
    }

    /** The host (with port) of a redirect URI, or the scheme for private-use schemes. */
    static String host(String uri) {
        URI parsed = URI.create(uri);
        if (parsed.getHost() == null) {
            return parsed.getScheme().toLowerCase(Locale.ROOT) + ":";
        }
        return parsed.getPort() == -1 ? parsed.getHost() : parsed.getHost() + ":" + parsed.getPort();
    }

    /** A CSP source expression for the redirect URI's origin (a scheme source for private-use schemes). */
    static String origin(String uri) {
        URI parsed = URI.create(uri);
        if (parsed.getHost() == null) {
            return parsed.getScheme().toLowerCase(Locale.ROOT) + ":";
        }
        return parsed.getScheme() + "://" + parsed.getRawAuthority();
    }
}
