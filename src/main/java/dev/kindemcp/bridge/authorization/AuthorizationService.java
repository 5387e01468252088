package dev.kindemcp.bridge.authorization;

import dev.kindemcp.bridge.oauth.RequestParameters;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.openid.connect.sdk.OIDCError;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.MasterKeyCipher;
import dev.kindemcp.bridge.kinde.KindeGateway;
import dev.kindemcp.bridge.kinde.KindeLogin;
import dev.kindemcp.bridge.kinde.KindeUpstreamException;
import dev.kindemcp.bridge.oauth.AuthorizationException;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.oauth.ValidatedRedirect;
import dev.kindemcp.bridge.registration.ClientDirectory;
import dev.kindemcp.bridge.registration.KnownClient;
import dev.kindemcp.bridge.store.AuthorizationStore;
import dev.kindemcp.bridge.store.PendingAuthorization;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The authorization flow of the bridge: validates the request, asks this browser's consent for this client
 * before anything goes to Kinde, sends the browser to Kinde with a state bound to it, and turns Kinde's
 * callback into the bridge's own authorization code.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1">RFC 6749 §4.1 Authorization Code Grant</a>
 * @see <a href="https://modelcontextprotocol.io/docs/tutorials/security/security_best_practices#confused-deputy-problem">MCP Security Best Practices: "Confused Deputy Problem"</a>
 */
@ApplicationScoped
public class AuthorizationService {

    /** The audit trail (issue 15.3); absent when the class is built without CDI (unit tests). */
    @jakarta.inject.Inject
    dev.kindemcp.bridge.audit.AuditLog audit;

    private static final Logger LOG = Logger.getLogger(AuthorizationService.class.getName());

    /** MCP Security Best Practices: upstream state lives about ten minutes. */
    static final Duration REQUEST_LIFETIME = Duration.ofMinutes(10);

    /** What the resource does next. */
    public sealed interface Step permits ShowConsent, GoToKinde {
        /** A browser cookie value to set because the browser had none. */
        Optional<String> newBrowser();
    }

    /** Show the consent page of this request. */
    public record ShowConsent(String html, List<String> formTargets, Optional<String> newBrowser) implements Step {
    }

    /** Send the browser to Kinde, with a cookie that binds the callback to it. */
    public record GoToKinde(URI location, String requestId, String flowCookie, Optional<String> newBrowser)
            implements Step {
    }

    /** Where the browser goes after the consent form, and the flow cookie when it goes to Kinde. */
    public record Decision(URI location, Optional<String> requestId, Optional<String> flowCookie) {
    }

    /** The redirect back to the client after Kinde. */
    public record Completion(URI location, String requestId, Optional<String> accountCookie) {
    }

    private final BridgeConfig config;
    private final AuthorizationStore store;
    private final KindeGateway kinde;
    private final MasterKeyCipher cipher;
    private final AuthorizationCodeIssuer codes;
    private final Clock clock;
    private final AuthorizationRequestValidator validator;
    private final ClientDirectory clients;

    @Inject
    public AuthorizationService(BridgeConfig config, ClientDirectory clients, AuthorizationStore store,
            KindeGateway kinde, MasterKeyCipher cipher, AuthorizationCodeIssuer codes, Clock clock) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.kinde = Objects.requireNonNull(kinde, "kinde must not be null");
        this.cipher = Objects.requireNonNull(cipher, "cipher must not be null");
        this.codes = Objects.requireNonNull(codes, "codes must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.clients = Objects.requireNonNull(clients, "clients must not be null");
        this.validator = new AuthorizationRequestValidator(clients::find, config.scopesSupported(),
                config.defaultScopes(), config.mcpResource());
    }

    AuthorizationService() { // CDI proxy
        this.config = null;
        this.store = null;
        this.kinde = null;
        this.cipher = null;
        this.codes = null;
        this.clock = null;
        this.validator = null;
        this.clients = null;
    }

    /**
     * GET /authorize: the consent page, or, when this browser already approved this client for these scopes,
     * straight to Kinde.
     */
    public Step authorize(String rawQuery, Optional<String> browserCookie) {
        ValidatedAuthorization request;
        try {
            request = validator.validate(RequestParameters.parse(rawQuery));
        } catch (AuthorizationException e) {
            throw e.redirect().isPresent() && e.explanation().isEmpty()
                    && !trusted(e.redirect().get().clientId(), browserCookie) ? e.interstitial() : e;
        }
        Optional<String> newBrowser = browserCookie.isPresent() ? Optional.empty() : Optional.of(Secrets.random(32));
        String browser = browserCookie.orElseGet(newBrowser::get);
        String browserHash = Secrets.hash(browser);
        String id = Secrets.random(24);
        Instant now = clock.instant();
        boolean approved = store.findConsent(browserHash, request.client().clientId())
                .map(scope -> Set.copyOf(Arrays.asList(scope.split(" "))).containsAll(request.scopes()))
                .orElse(false);
        String csrf = Secrets.random(32);
        store.saveRequest(new PendingAuthorization(id, browserHash,
                approved ? Optional.empty() : Optional.of(Secrets.hash(csrf)), request.client().clientId(),
                request.redirect().redirectUri(), request.redirect().state(), request.codeChallenge(),
                request.scope(), request.resource(), JSONObjectUtils.toJSONString(Map.copyOf(request.passthrough())),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                PendingAuthorization.Status.CONSENT, now, now.plus(REQUEST_LIFETIME)));
        if (approved) {
            // MCP Security Best Practices: consent already recorded for this browser and client
            Upstream upstream = startUpstream(id, request.passthrough(), request.redirect());
            return new GoToKinde(upstream.location(), id, upstream.flowCookie(), newBrowser);
        }
        metrics.consent("shown");
        return new ShowConsent(ConsentPage.render(request, id, csrf),
                ConsentPage.formTargets(request, config.kinde().map(k -> k.issuer()).orElse("'none'")), newBrowser);
    }

    /**
     * POST /authorize/consent: approve or deny. The CSRF token, the browser cookie and the transaction must
     * match and work once.
     */
    public Decision decide(String transaction, String csrfToken, String decision, Optional<String> browserCookie,
            Optional<String> origin, Optional<String> fetchSite) {
        if (!sameOrigin(origin, fetchSite)) {
            throw forbidden("The form was sent from another site.");
        }
        if (browserCookie.isEmpty() || transaction == null || csrfToken == null) {
            throw forbidden("This form is not valid for this browser.");
        }
        Optional<PendingAuthorization> found = store.findRequest(transaction);
        if (found.isEmpty()) {
            throw forbidden("This request is unknown or has expired.");
        }
        PendingAuthorization request = found.get();
        String browserHash = Secrets.hash(browserCookie.get());
        // RFC 6749 §10.12: the CSRF token is bound to this browser and this request, and works once
        if (!store.consumeCsrf(transaction, Secrets.hash(csrfToken), browserHash, clock.instant())) {
            throw forbidden("This form was already used, has expired, or belongs to another browser.");
        }
        ValidatedRedirect redirect = new ValidatedRedirect(request.clientId(), request.redirectUri(),
                request.clientState());
        if (!"approve".equals(decision)) {
            store.deleteRequest(transaction);
            LOG.info(() -> "consent denied for client " + request.clientId());
            audit("consent", "denied", "client", request.clientId(), "scope", request.scope());
            if (!trusted(request.clientId(), browserCookie)) {
                throw new AuthorizationException(OAuth2Error.ACCESS_DENIED, "the user denied the request", redirect)
                        .interstitial();
            }
            return new Decision(redirect.with(Map.of("error", OAuth2Error.ACCESS_DENIED.getCode()),
                    config.issuerId()), Optional.empty(), Optional.empty());
        }
        store.saveConsent(browserHash, request.clientId(), request.scope(), clock.instant());
        audit("consent", "approved", "client", request.clientId(), "scope", request.scope());
        Upstream upstream = startUpstream(transaction, passthrough(request), redirect);
        return new Decision(upstream.location(), Optional.of(transaction), Optional.of(upstream.flowCookie()));
    }

    /**
     * RFC 9700 §4.11.2: errors are redirected automatically only to clients the user in front of this browser
     * approved before, and to clients the operator provisioned. Approval is per browser: anybody can approve an
     * openly registered client in their own browser, so that a client was approved somewhere says nothing.
     */
    private boolean trusted(String clientId, Optional<String> browserCookie) {
        if (browserCookie.isPresent() && store.findConsent(Secrets.hash(browserCookie.get()), clientId).isPresent()) {
            return true;
        }
        try {
            return clients.find(clientId).map(c -> c.origin() == KnownClient.Origin.PROVISIONED).orElse(false);
        } catch (OAuthException e) {
            return false;
        }
    }

    private boolean sameOrigin(Optional<String> origin, Optional<String> fetchSite) {
        return Pages.sameOrigin(config.issuerId(), origin, fetchSite);
    }

    /**
     * GET /kinde/callback: checks the state against this browser, completes the login at Kinde, and redirects
     * to the client with the bridge's code.
     */
    public Completion callback(Map<String, String> params, Map<String, String> flowCookies) {
        String state = params.get("state");
        if (state == null || state.isEmpty()) {
            throw page(400, "The sign-in answer has no state.");
        }
        PendingAuthorization request = store.findByUpstreamState(Secrets.hash(state))
                .orElseThrow(() -> page(400, "This sign-in answer is unknown, expired or already used."));
        String flow = flowCookies.get(BrowserCookies.flowName(request.id()));
        // MCP Security Best Practices: the callback must come back to the browser that approved
        if (flow == null || request.flowCookieHash().isEmpty()
                || !Secrets.matches(flow, request.flowCookieHash().get())) {
            LOG.warning(() -> "security: callback for client " + request.clientId() + " from another browser");
            throw page(403, "This sign-in was started in another browser, or this browser did not keep the "
                    + "bridge's cookie (blocked cookies, a private window that was closed). Start the sign-in again "
                    + "from your application and finish it in the same browser, at " + config.issuerId());
        }
        if (!store.consumeUpstreamState(request.id(), clock.instant())) {
            throw page(400, "This sign-in answer is expired or already used.");
        }
        ValidatedRedirect redirect = new ValidatedRedirect(request.clientId(), request.redirectUri(),
                request.clientState());
        String kindeError = params.get("error");
        if (kindeError != null) {
            ErrorObject passed = PASSED_THROUGH.getOrDefault(kindeError, OAuth2Error.SERVER_ERROR);
            LOG.info(() -> "Kinde answered the login of client " + request.clientId() + " with "
                    + (kindeError.matches("[a-z_]{1,40}") ? kindeError : "(unregistered error)") + "; the client gets " + passed.getCode());
            throw new AuthorizationException(passed, "the sign-in at the identity provider did not complete", redirect);
        }
        String code = params.get("code");
        if (code == null || code.isEmpty()) {
            throw new AuthorizationException(OAuth2Error.SERVER_ERROR, "the identity provider sent no code", redirect);
        }
        if (ACCOUNT_CLIENT.equals(request.clientId())) {
            return completeAccountLogin(request, code, redirect);
        }
        KindeLogin login;
        try {
            login = completeAtKinde(request, code);
        } catch (KindeUpstreamException e) {
            LOG.warning(() -> "Kinde login failed for client " + request.clientId() + ": " + e.describe());
            audit("login", "failed", "client", request.clientId(), "reason", e.reason());
            if (e.reason() == KindeUpstreamException.Reason.MISCONFIGURED) {
                // the operator must change a setting: the user is told which, then the client learns the outcome
                throw AuthorizationException.explained(OAuth2Error.SERVER_ERROR.setHTTPStatusCode(502),
                        "the identity provider is not set up correctly for this server",
                        "This server's sign-in is not set up correctly at Kinde. Tell your administrator: "
                                + e.getMessage(), redirect);
            }
            throw new AuthorizationException(e.transientFailure() ? OAuth2Error.TEMPORARILY_UNAVAILABLE
                    : OAuth2Error.SERVER_ERROR, "the identity provider could not complete the sign-in", redirect);
        }
        try {
            checkOrganisation(login, passthrough(request), redirect);
        } catch (AuthorizationException refused) {
            audit("login", "refused", "client", request.clientId(), "actor", login.subject(),
                    "org", login.identity().orgCode().orElse(null), "reason", "organisation");
            throw refused;
        }
        String bridgeCode = codes.issue(request, login);
        audit("login", "success", "client", request.clientId(), "actor", login.subject(),
                "org", login.identity().orgCode().orElse(null), "scope", request.scope());
        LOG.info(() -> "authorization code issued to client " + request.clientId());
        return new Completion(redirect.with(Map.of("code", bridgeCode), config.issuerId()), request.id(),
                Optional.empty());
    }

    /**
     * The client id of the connected-apps page's own sign-in (issue 15.4): it shares the Kinde leg and the
     * callback with the MCP clients' logins, never a client registration (URN, not a URL or a generated id).
     */
    public static final String ACCOUNT_CLIENT = "urn:kinde-mcp-bridge:account-page";

    @jakarta.inject.Inject
    dev.kindemcp.bridge.account.AccountSessions accountSessions;

    @jakarta.inject.Inject
    dev.kindemcp.bridge.telemetry.BridgeMetrics metrics = dev.kindemcp.bridge.telemetry.BridgeMetrics.NONE;

    /**
     * Starts the sign-in of the connected-apps page: a request of its own, straight to Kinde (no consent: the
     * user signs in to see what they granted), back at /kinde/callback, which opens an account session.
     */
    public GoToKinde startAccountLogin(String accountPage) {
        String id = Secrets.random(24);
        Instant now = clock.instant();
        store.saveRequest(new PendingAuthorization(id, Secrets.hash(Secrets.random(32)), Optional.empty(),
                ACCOUNT_CLIENT, accountPage, Optional.empty(), "-", "", "", "{}", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), PendingAuthorization.Status.CONSENT, now,
                now.plus(REQUEST_LIFETIME)));
        Upstream upstream = startUpstream(id, Map.of(), new ValidatedRedirect(ACCOUNT_CLIENT, accountPage,
                Optional.empty()));
        return new GoToKinde(upstream.location(), id, upstream.flowCookie(), Optional.empty());
    }

    private Completion completeAccountLogin(PendingAuthorization request, String code, ValidatedRedirect redirect) {
        KindeLogin login;
        try {
            login = completeAtKinde(request, code);
        } catch (KindeUpstreamException e) {
            LOG.warning(() -> "Kinde login to the account page failed: " + e.describe());
            audit("account_login", "failed", "reason", e.reason());
            throw new AuthorizationException(e.transientFailure() ? OAuth2Error.TEMPORARILY_UNAVAILABLE
                    : OAuth2Error.SERVER_ERROR, "the identity provider could not complete the sign-in", redirect);
        }
        if (login.identity().machine()) {
            throw page(403, "Machines have no connected apps.");
        }
        return new Completion(URI.create(request.redirectUri()), request.id(),
                Optional.of(accountSessions.open(login)));
    }

    /**
     * The tenant comes only from the Kinde-signed org_code: when the client asked for an organisation it must be
     * that one, and when an allowlist is configured it must be in it. Without either, a user who belongs to no
     * organisation signs in without one (Kinde leaves org_code out for such users).
     */
    private void checkOrganisation(KindeLogin login, Map<String, String> passthrough, ValidatedRedirect redirect) {
        Optional<String> org = login.identity().orgCode();
        if (org.isEmpty() && !config.allowsOrganisation(org)) {
            LOG.info(() -> "login without an organisation refused for client " + redirect.clientId()
                    + ": kinde.allowed-org-codes is set");
            throw AuthorizationException.explained(OAuth2Error.ACCESS_DENIED.setHTTPStatusCode(403),
                    "the account belongs to no organisation", NO_ORGANISATION, redirect);
        }
        boolean denied = !config.allowsOrganisation(org)
                || (passthrough.containsKey("org_code") && !passthrough.get("org_code").equals(org.orElse("")));
        if (denied) {
            LOG.info(() -> "login into organisation " + org.orElse("(none)") + " refused for client "
                    + redirect.clientId());
            throw new AuthorizationException(OAuth2Error.ACCESS_DENIED,
                    "this organisation may not use this server", redirect);
        }
    }

    /**
     * Kinde's answers that mean the same to the MCP client, passed on with the same code (RFC 6749 §4.1.2.1,
     * OpenID Connect Core 1.0 §3.1.2.6); anything else becomes server_error.
     */
    static final Map<String, ErrorObject> PASSED_THROUGH = Map.of(
            OAuth2Error.ACCESS_DENIED.getCode(), OAuth2Error.ACCESS_DENIED,
            OIDCError.LOGIN_REQUIRED.getCode(), OIDCError.LOGIN_REQUIRED,
            OIDCError.CONSENT_REQUIRED.getCode(), OIDCError.CONSENT_REQUIRED,
            OIDCError.INTERACTION_REQUIRED.getCode(), OIDCError.INTERACTION_REQUIRED,
            OIDCError.ACCOUNT_SELECTION_REQUIRED.getCode(), OIDCError.ACCOUNT_SELECTION_REQUIRED);

    /** What a user without an organisation reads when only some organisations may use this server. */
    static final String NO_ORGANISATION = "Your account does not belong to any organisation, and this server "
            + "admits only members of its allowed organisations. Ask your administrator to add you to one of "
            + "them in Kinde, then sign in again";

    private record Upstream(URI location, String flowCookie) {
    }

    /**
     * MCP Security Best Practices: the upstream state is created only now, after consent: random, stored as a
     * hash, single use, ten minutes; bound to the browser through a new cookie.
     */
    private Upstream startUpstream(String id, Map<String, String> passthrough, ValidatedRedirect redirect) {
        String state = Secrets.random(32);
        String nonce = Secrets.random(32);
        String flowCookie = Secrets.random(32);
        CodeVerifier verifier = new CodeVerifier();
        URI location;
        try {
            location = kinde.loginUrl(callbackUrl(), state, nonce,
                    CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue(), passthrough);
        } catch (KindeUpstreamException e) {
            LOG.warning(() -> "Kinde is unavailable for a login: " + e.describe());
            throw new AuthorizationException(e.transientFailure() ? OAuth2Error.TEMPORARILY_UNAVAILABLE
                    : OAuth2Error.SERVER_ERROR, "the identity provider is unavailable", redirect);
        }
        store.startUpstream(id, Secrets.hash(state), Secrets.hash(flowCookie), nonce,
                cipher.encrypt(verifier.getValue(), verifierContext(id)), clock.instant().plus(REQUEST_LIFETIME));
        return new Upstream(location, flowCookie);
    }

    /** Redeems Kinde's code with the request's PKCE verifier and nonce. */
    private KindeLogin completeAtKinde(PendingAuthorization request, String code) {
        return kinde.completeLogin(code, callbackUrl(),
                cipher.decrypt(request.upstreamVerifierEncrypted().orElseThrow(), verifierContext(request.id())),
                request.upstreamNonce().orElseThrow());
    }

    private String callbackUrl() {
        return config.url(Endpoints.KINDE_CALLBACK);
    }

    private static String verifierContext(String id) {
        return "kinde-pkce:" + id;
    }

    private static Map<String, String> passthrough(PendingAuthorization request) {
        try {
            Map<String, Object> raw = JSONObjectUtils.parse(request.passthroughJson());
            Map<String, String> values = new java.util.LinkedHashMap<>();
            raw.forEach((k, v) -> values.put(k, String.valueOf(v)));
            return values;
        } catch (ParseException e) {
            throw new IllegalStateException("stored pass-through parameters are not JSON", e);
        }
    }

    private static AuthorizationException forbidden(String message) {
        return page(403, message);
    }

    private static AuthorizationException page(int status, String message) {
        return new AuthorizationException(status == 403 ? OAuth2Error.ACCESS_DENIED.setHTTPStatusCode(403)
                : OAuth2Error.INVALID_REQUEST.setHTTPStatusCode(status), message);
    }

    private void audit(String event, String outcome, Object... fields) {
        if (audit != null) {
            audit.record(event, outcome, fields);
        }
    }
}
