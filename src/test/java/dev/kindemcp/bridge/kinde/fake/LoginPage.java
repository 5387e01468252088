package dev.kindemcp.bridge.kinde.fake;

import java.util.List;
import java.util.Optional;
import org.owasp.encoder.Encode;

/**
 * The HTML of FakeKinde's pages: the sign-in form that lists the demo accounts, and the error page shown when
 * FakeKinde cannot send the browser back to the client. Every value is escaped for its context.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1">RFC 6749 §4.1.2.1 Error Response (do not redirect to an invalid URI)</a>
 * @see <a href="https://html.spec.whatwg.org/multipage/forms.html#the-form-element">HTML: the form element</a>
 */
final class LoginPage {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;"
            + "padding:0 1rem}button{display:block;width:100%;text-align:left;margin:.4rem 0;padding:.6rem;"
            + "cursor:pointer}.warn{background:#fff3cd;border:1px solid #e0c060;padding:.6rem}"
            + "small{color:#555}";

    private LoginPage() {
    }

    /**
     * One account the user can sign in as: a user inside one of their organisations, or a user who belongs to
     * no organisation (Kinde then signs them in without one).
     */
    record Account(FakeUser user, Optional<FakeOrg> org, Optional<FakeUser.Membership> membership) {

        /** The form value: the user id and the org code, or {@code -} for none. */
        String value() {
            return user.id() + " " + org.map(FakeOrg::code).orElse(NO_ORG);
        }
    }

    /** The form's org code of a sign-in without an organisation. */
    static final String NO_ORG = "-";

    static String form(String transactionId, String clientId, String redirectHost, List<Account> accounts) {
        StringBuilder html = new StringBuilder(2048);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>FakeKinde sign-in</title><style>").append(STYLE).append("</style></head><body>")
                .append("<h1>Sign in</h1><p class=\"warn\"><strong>FakeKinde</strong> is a development identity ")
                .append("provider, not Kinde. Never use it with real accounts.</p>")
                .append("<p>Application <code>").append(Encode.forHtml(clientId))
                .append("</code> will receive your identity at <code>").append(Encode.forHtml(redirectHost))
                .append("</code>.</p><form method=\"post\" action=\"").append(FakeKinde.LOGIN_PATH).append("\">")
                .append("<input type=\"hidden\" name=\"tx\" value=\"").append(Encode.forHtmlAttribute(transactionId))
                .append("\">");
        if (accounts.isEmpty()) {
            html.append("<p>No demo account matches this request.</p>");
        }
        for (Account account : accounts) {
            List<String> permissions = account.membership().map(FakeUser.Membership::permissions).orElse(List.of());
            html.append("<button type=\"submit\" name=\"account\" value=\"")
                    .append(Encode.forHtmlAttribute(account.value())).append("\">")
                    .append(Encode.forHtml(account.user().name())).append(" &lt;")
                    .append(Encode.forHtml(account.user().email())).append("&gt; ")
                    .append(account.org().map(org -> "in " + Encode.forHtml(org.name()) + " <small>("
                            + Encode.forHtml(org.code()) + ") permissions: ").orElse("<small>(no organisation) "
                            + "permissions: "))
                    .append(Encode.forHtml(permissions.isEmpty() ? "none" : String.join(", ", permissions)))
                    .append("</small></button>");
        }
        html.append("<button type=\"submit\" name=\"cancel\" value=\"1\">Cancel</button></form></body></html>");
        return html.toString();
    }

    static String error(String title, String detail) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>FakeKinde error</title>"
                + "<style>" + STYLE + "</style></head><body><h1>" + Encode.forHtml(title) + "</h1><p>"
                + Encode.forHtml(detail) + "</p></body></html>";
    }

    static String signedOut() {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signed out</title>"
                + "<style>" + STYLE + "</style></head><body><h1>You are signed out of FakeKinde</h1></body></html>";
    }
}
