package dev.kindemcp.bridge.account;

import dev.kindemcp.bridge.account.ConnectedApps.Filter;
import dev.kindemcp.bridge.authorization.AuthorizationService;
import dev.kindemcp.bridge.authorization.BrowserCookies;
import dev.kindemcp.bridge.authorization.Pages;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.NoStore;
import dev.kindemcp.bridge.registration.ClientRegistrationService;
import dev.kindemcp.bridge.store.AccountStore.AccountSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The connected-apps page (issue 15.4): {@code GET /account} signs the user in through Kinde when needed and lists
 * the MCP clients they authorized; {@code POST /account/revoke} ends one. An operator (a Kinde user with
 * {@code bridge.operator-permission}) also gets {@code /account/operator}: everybody's, filtered by user, client
 * or organisation, with revoke and delete-client. Every POST needs the session cookie, the page's CSRF token and
 * a same-origin Sec-Fetch-Site (or, from browsers without Fetch Metadata, this server's Origin).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.16">RFC 9700 §4.16 Clickjacking</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6265#section-8.5">RFC 6265 §8.5 Weak Confidentiality (HttpOnly, Secure)</a>
 */
@Path(Endpoints.ACCOUNT)
@ApplicationScoped
public class AccountResource {

    /** The notices a page may show after an action: by code, so that no URL can put words on the page. */
    static final Map<String, String> NOTICES = Map.of(
            "revoked", "Access ended: the client's tokens are revoked, also at Kinde, and your approval is forgotten.",
            "nothing", "There was nothing to end for that client.",
            "deleted", "The client is deleted: every user's access through it ended.",
            "unknown", "No stored registration has that client id; its grants and approvals ended all the same.");

    @Inject
    AccountSessions sessions;

    @Inject
    ConnectedApps apps;

    @Inject
    AuthorizationService authorizations;

    @Inject
    ClientRegistrationService registrations;

    @Inject
    BridgeConfig config;

    /** A request from a signed-in browser: its cookie value and session. */
    private record SignedIn(String cookie, AccountSession session) {
    }

    /** What every form POST of the pages carries besides its fields: the CSRF token and the browser's headers. */
    public static class FormOrigin {
        @FormParam("csrf_token")
        String csrf;
        @HeaderParam("Origin")
        String origin;
        @HeaderParam("Sec-Fetch-Site")
        String fetchSite;
        @Context
        HttpHeaders headers;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@QueryParam("error") String error, @QueryParam("notice") String notice,
            @Context HttpHeaders headers) {
        Optional<String> cookie = BrowserCookies.value(headers.getCookies(), AccountSessions.COOKIE);
        Optional<AccountSession> session = sessions.find(cookie);
        if (session.isEmpty()) {
            if (error != null) {
                return html(401, AccountPage.signInFailed(error.matches("[a-z_]{1,40}") ? error : "with an error"));
            }
            AuthorizationService.GoToKinde login = authorizations.startAccountLogin(config.url(Endpoints.ACCOUNT));
            return NoStore.apply(Response.status(Response.Status.FOUND).location(login.location()))
                    .header("Referrer-Policy", "no-referrer")
                    .cookie(BrowserCookies.flow(login.requestId(), login.flowCookie())).build();
        }
        List<ConnectedApps.ConnectedApp> list = apps.list(new Filter(Optional.of(session.get().kindeUserId()),
                Optional.empty(), Optional.empty()));
        return html(200, AccountPage.user(session.get(), list, AccountSessions.csrf(cookie.get()),
                Optional.ofNullable(notice).map(NOTICES::get)));
    }

    @POST
    @Path("revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response revoke(@FormParam("client_id") String client, @BeanParam FormOrigin form) {
        SignedIn signedIn = signedIn(form);
        if (client == null || client.isEmpty()) {
            return html(400, error("The form names no client."));
        }
        String user = signedIn.session().kindeUserId();
        return back("/account", apps.revoke(user, client, user) ? "revoked" : "nothing");
    }

    @GET
    @Path("operator")
    @Produces(MediaType.TEXT_HTML)
    public Response operator(@QueryParam("user") String user, @QueryParam("client") String client,
            @QueryParam("org") String org, @QueryParam("notice") String notice, @Context HttpHeaders headers) {
        Optional<String> cookie = BrowserCookies.value(headers.getCookies(), AccountSessions.COOKIE);
        Optional<AccountSession> session = sessions.find(cookie);
        if (session.isEmpty()) {
            return NoStore.apply(Response.seeOther(URI.create(Endpoints.ACCOUNT))).build();
        }
        if (!session.get().operator()) {
            return html(403, error("This page is for operators: your Kinde account lacks the operator permission."));
        }
        Filter filter = Filter.of(user, client, org);
        return html(200, AccountPage.operator(filter, apps.list(filter), AccountSessions.csrf(cookie.get()),
                Optional.ofNullable(notice).map(NOTICES::get)));
    }

    @POST
    @Path("operator/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response operatorRevoke(@FormParam("user") String user, @FormParam("client_id") String client,
            @BeanParam FormOrigin form) {
        SignedIn signedIn = operatorSignedIn(form);
        if (user == null || user.isEmpty() || client == null || client.isEmpty()) {
            return html(400, error("The form names no user or no client."));
        }
        boolean ended = apps.revoke(user, client, "operator:" + signedIn.session().kindeUserId());
        return back("/account/operator", ended ? "revoked" : "nothing");
    }

    @POST
    @Path("operator/delete-client")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response deleteClient(@FormParam("client_id") String client, @BeanParam FormOrigin form) {
        SignedIn signedIn = operatorSignedIn(form);
        if (client == null || client.isEmpty()) {
            return html(400, error("The form names no client."));
        }
        boolean stored = registrations.deleteByOperator(client, "operator:" + signedIn.session().kindeUserId());
        return back("/account/operator", stored ? "deleted" : "unknown");
    }

    @POST
    @Path("sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response signOut(@BeanParam FormOrigin form) {
        SignedIn signedIn = signedIn(form);
        sessions.close(signedIn.cookie());
        return Pages.headers(Response.ok(), List.of()).cookie(AccountSessions.expired())
                .entity(AccountPage.signedOut()).build();
    }

    /** The session of a form POST, after the CSRF token and the Origin were checked; else a 403 page. */
    private SignedIn signedIn(FormOrigin form) {
        Optional<String> cookie = BrowserCookies.value(form.headers.getCookies(), AccountSessions.COOKIE);
        Optional<AccountSession> session = sessions.find(cookie);
        if (session.isEmpty()) {
            throw new jakarta.ws.rs.WebApplicationException(html(403, error("Your sign-in to this page has expired. "
                    + "Open the page again to sign in.")));
        }
        if (!AccountSessions.csrfMatches(cookie.get(), form.csrf) || !Pages.sameOrigin(config.issuerId(),
                Optional.ofNullable(form.origin), Optional.ofNullable(form.fetchSite))) {
            throw new jakarta.ws.rs.WebApplicationException(html(403, error("This form was not sent from this "
                    + "server's page. Open the page again and use its buttons.")));
        }
        return new SignedIn(cookie.get(), session.get());
    }

    private SignedIn operatorSignedIn(FormOrigin form) {
        SignedIn signedIn = signedIn(form);
        if (!signedIn.session().operator()) {
            throw new jakarta.ws.rs.WebApplicationException(html(403, error("This action is for operators: your "
                    + "Kinde account lacks the operator permission.")));
        }
        return signedIn;
    }

    private static String error(String message) {
        return Pages.document("Connected apps", "<h1>Connected apps</h1>\n<p>"
                + org.owasp.encoder.Encode.forHtml(message) + "</p>\n<p><a href=\"/account\">Back to your "
                + "connected apps</a></p>");
    }

    /** POST-redirect-GET back to a page with a notice code. */
    private static Response back(String page, String notice) {
        return NoStore.apply(Response.seeOther(URI.create(page + "?notice=" + notice))).build();
    }

    private static Response html(int status, String body) {
        return Pages.headers(Response.status(status), List.of()).entity(body).build();
    }
}
