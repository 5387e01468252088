package dev.kindemcp.bridge.account;

import dev.kindemcp.bridge.account.ConnectedApps.ConnectedApp;
import dev.kindemcp.bridge.account.ConnectedApps.Filter;
import dev.kindemcp.bridge.authorization.Pages;
import dev.kindemcp.bridge.store.AccountStore.AccountSession;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.owasp.encoder.Encode;

/**
 * The HTML of the connected-apps pages (issue 15.4): plain server-rendered HTML like the consent page, no
 * scripts, every stored string escaped (client names come from whoever registered the client), and each action
 * a POST form with the session's CSRF token.
 */
final class AccountPage {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private AccountPage() {
    }

    /** A user's own page: the clients they authorized, each with a revoke button. */
    static String user(AccountSession session, List<ConnectedApp> apps, String csrf, Optional<String> notice) {
        StringBuilder main = new StringBuilder("<h1>Connected apps</h1>\n<p>Signed in to Kinde as <strong>")
                .append(Encode.forHtml(session.kindeUserId())).append("</strong>")
                .append(session.orgCode().map(o -> " (organisation " + Encode.forHtml(o) + ")").orElse(""))
                .append(".</p>\n");
        notice.ifPresent(n -> main.append("<p class=\"warning\" role=\"status\">").append(Encode.forHtml(n))
                .append("</p>\n"));
        if (apps.isEmpty()) {
            main.append("<p>You have not authorized any MCP client on this server.</p>\n");
        } else {
            main.append("<p>These MCP clients can act for you on this server until you revoke them. Revoking ends "
                    + "their access at once, also at Kinde, and the next sign-in asks you again.</p>\n");
        }
        for (ConnectedApp app : apps) {
            main.append(card(app, false, csrf));
        }
        if (session.operator()) {
            main.append("<p><a href=\"/account/operator\">Every user's connected apps (operator)</a></p>\n");
        }
        main.append(signOut(csrf));
        return Pages.document("Connected apps", main.toString());
    }

    /** The operator's page: everybody's connected apps, filtered, with revoke and delete-client buttons. */
    static String operator(Filter filter, List<ConnectedApp> apps, String csrf, Optional<String> notice) {
        StringBuilder main = new StringBuilder("<h1>Connected apps of every user</h1>\n");
        notice.ifPresent(n -> main.append("<p class=\"warning\" role=\"status\">").append(Encode.forHtml(n))
                .append("</p>\n"));
        main.append("<form class=\"filter\" method=\"get\" action=\"/account/operator\">\n")
                .append(field("user", "Kinde user id", filter.user()))
                .append(field("client", "Client id", filter.client()))
                .append(field("org", "Organisation code", filter.organisation()))
                .append("<div class=\"actions\"><button class=\"deny\" type=\"submit\">Filter</button></div>\n</form>\n");
        main.append("<p class=\"fine\">").append(apps.size()).append(apps.size() == 1 ? " entry" : " entries")
                .append(" (at most ").append(ConnectedApps.LIMIT).append(" grants and approvals are read; filter by "
                        + "user or client to see past them).</p>\n");
        for (ConnectedApp app : apps) {
            main.append(card(app, true, csrf));
        }
        main.append("<p><a href=\"/account\">Your own connected apps</a></p>\n").append(signOut(csrf));
        return Pages.document("Connected apps of every user", main.toString());
    }

    /** The page after a sign-in to the account page did not complete. */
    static String signInFailed(String error) {
        return Pages.document("Sign-in did not complete", "<h1>Sign-in did not complete</h1>\n<p>Kinde answered "
                + Encode.forHtml(error) + ".</p>\n<p><a class=\"button\" href=\"/account\">Sign in again</a></p>");
    }

    static String signedOut() {
        return Pages.document("Signed out", "<h1>Signed out</h1>\n<p>You signed out of the connected-apps page. "
                + "Your MCP clients keep their access.</p>\n<p><a href=\"/account\">Sign in again</a></p>");
    }

    private static String card(ConnectedApp app, boolean operator, String csrf) {
        StringBuilder card = new StringBuilder("<section class=\"app\">\n<h2>")
                .append(Encode.forHtml(app.clientName().orElse(app.clientId()))).append("</h2>\n<dl>\n");
        if (operator) {
            card.append(item("User", app.user()));
        }
        card.append(item("Client id", app.clientId()))
                .append(item("Redirects to", app.redirectHost().orElse("(unknown)")))
                .append(item("Scopes", app.scopes().isEmpty() ? "(none)" : String.join(" ", app.scopes())))
                .append(item("Organisation", app.organisations().isEmpty() ? "(none)"
                        : String.join(", ", app.organisations())))
                .append(item("First use", WHEN.format(app.firstUse())))
                .append(item("Last use", WHEN.format(app.lastUse())))
                .append(item("Active grants", String.valueOf(app.liveGrants())))
                .append("</dl>\n");
        String action = operator ? "/account/operator/revoke" : "/account/revoke";
        card.append("<form method=\"post\" action=\"").append(action).append("\" class=\"actions\">\n")
                .append(hidden("csrf_token", csrf)).append(hidden("client_id", app.clientId()));
        if (operator) {
            card.append(hidden("user", app.user()));
        }
        card.append("<button class=\"approve\" type=\"submit\">Revoke</button>\n</form>\n");
        if (operator) {
            card.append("<form method=\"post\" action=\"/account/operator/delete-client\" class=\"actions\">\n")
                    .append(hidden("csrf_token", csrf)).append(hidden("client_id", app.clientId()))
                    .append("<button class=\"deny\" type=\"submit\">Delete this client for everybody</button>\n"
                            + "</form>\n");
        }
        return card.append("</section>\n").toString();
    }

    private static String signOut(String csrf) {
        return "<form method=\"post\" action=\"/account/sign-out\" class=\"actions\">\n" + hidden("csrf_token", csrf)
                + "<button class=\"deny\" type=\"submit\">Sign out</button>\n</form>\n";
    }

    private static String item(String term, String value) {
        return "<dt>" + Encode.forHtml(term) + "</dt><dd>" + Encode.forHtml(value) + "</dd>\n";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Encode.forHtmlAttribute(value) + "\">\n";
    }

    private static String field(String name, String label, Optional<String> value) {
        return "<label for=\"" + name + "\">" + Encode.forHtml(label) + "</label><input id=\"" + name + "\" name=\""
                + name + "\" value=\"" + Encode.forHtmlAttribute(value.orElse("")) + "\">\n";
    }

    static String format(Instant instant) {
        return WHEN.format(instant);
    }
}
