package dev.kindemcp.bridge.authorization;

import dev.kindemcp.bridge.account.AccountSessions;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.NoStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The authorization endpoint, the consent form's target, and the callback of the Kinde leg.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.1">RFC 6749 §3.1 Authorization Endpoint</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.12">RFC 9700 §4.12 (303 after a POST)</a>
 */
@Path("/")
@ApplicationScoped
public class AuthorizationResource {

    @Inject
    AuthorizationService authorizations;

    @Inject
    BridgeConfig config;

    @GET
    @Path(Endpoints.AUTHORIZATION)
    @Produces(MediaType.TEXT_HTML)
    public Response authorize(@Context UriInfo uri, @Context HttpHeaders headers) {
        Optional<URI> canonical = LoopbackAliases.atIssuerHost(config.issuer(), uri.getRequestUri());
        if (canonical.isPresent()) {
            return NoStore.apply(Response.status(Response.Status.FOUND).location(canonical.get())).build();
        }
        AuthorizationService.Step step = authorizations.authorize(uri.getRequestUri().getRawQuery(),
                BrowserCookies.value(headers.getCookies(), BrowserCookies.BROWSER));
        Response.ResponseBuilder response;
        if (step instanceof AuthorizationService.ShowConsent consent) {
            response = Pages.headers(Response.ok(consent.html()), consent.formTargets());
        } else {
            AuthorizationService.GoToKinde kinde = (AuthorizationService.GoToKinde) step;
            response = NoStore.apply(Response.status(Response.Status.FOUND).location(kinde.location()))
                    .cookie(BrowserCookies.flow(kinde.requestId(), kinde.flowCookie()));
        }
        step.newBrowser().ifPresent(browser -> response.cookie(BrowserCookies.browser(browser)));
        return response.build();
    }

    @POST
    @Path(Endpoints.CONSENT)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response consent(@FormParam("transaction") String transaction, @FormParam("csrf_token") String csrf,
            @FormParam("decision") String decision, @HeaderParam("Origin") String origin,
            @HeaderParam("Sec-Fetch-Site") String fetchSite, @Context HttpHeaders headers) {
        AuthorizationService.Decision result = authorizations.decide(transaction, csrf, decision,
                BrowserCookies.value(headers.getCookies(), BrowserCookies.BROWSER), Optional.ofNullable(origin),
                Optional.ofNullable(fetchSite));
        // RFC 9700 §4.12: after a POST, redirect with 303 so that the form is not re-sent
        Response.ResponseBuilder response = NoStore.apply(Response.seeOther(result.location()))
                .header("Referrer-Policy", "no-referrer");
        if (result.flowCookie().isPresent()) {
            response.cookie(BrowserCookies.flow(result.requestId().orElseThrow(), result.flowCookie().get()));
        }
        return response.build();
    }

    @GET
    @Path(Endpoints.KINDE_CALLBACK)
    @Produces(MediaType.TEXT_HTML)
    public Response callback(@Context UriInfo uri, @Context HttpHeaders headers) {
        Map<String, String> params = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (values.size() == 1) {
                params.put(name, values.get(0));
            }
        });
        Map<String, String> flows = new LinkedHashMap<>();
        headers.getCookies().forEach((name, cookie) -> {
            if (name.startsWith(BrowserCookies.FLOW_PREFIX)) {
                BrowserCookies.value(headers.getCookies(), name).ifPresent(v -> flows.put(name, v));
            }
        });
        AuthorizationService.Completion done = authorizations.callback(params, flows);
        Response.ResponseBuilder response = NoStore.apply(Response.status(Response.Status.FOUND)
                        .location(done.location()))
                .header("Referrer-Policy", "no-referrer")
                .cookie(BrowserCookies.expireFlow(done.requestId()));
        done.accountCookie().ifPresent(value -> response.cookie(AccountSessions.cookie(value)));
        return response.build();
    }
}
