package dev.kindemcp.bridge.kinde.fake;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.openid.connect.sdk.OIDCError;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FakeKinde's {@code /oauth2/auth}: validates the client and redirect URI first (errors render a page), then the
 * rest of the request (errors redirect with {@code error} and {@code state}); logs a scripted user in at once or
 * shows a sign-in form whose POST to {@code /oauth2/auth/login} completes the login. Thread-safe.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1">RFC 6749 §4.1.2.1 Error Response</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636#section-4.4.1">RFC 7636 §4.4.1 Error Response (PKCE required)</a>
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest">OpenID Connect Core 1.0 §3.1.2.1 Authentication Request</a>
 */
final class FakeAuthorizationEndpoint {

    private final FakeKinde kinde;
    private final FakeTokenEndpoint tokens;
    private final Map<String, LoginRequest> pending = new ConcurrentHashMap<>();

    FakeAuthorizationEndpoint(FakeKinde kinde, FakeTokenEndpoint tokens) {
        this.kinde = kinde;
        this.tokens = tokens;
    }

    /** {@code GET /oauth2/auth}. */
    void authorize(HttpExchange exchange, Map<String, List<String>> query) throws IOException {
        Optional<String> clientId = single(query, "client_id");
        Optional<FakeApp> app = clientId.flatMap(kinde::app);
        if (app.isEmpty()) {
            FakeHttp.html(exchange, 400, LoginPage.error("Unknown application", "client_id is missing or unknown."));
            return;
        }
        // RFC 6749 §4.1.2.1: never redirect to a URI that does not exactly match a registered callback
        Optional<String> redirect = single(query, "redirect_uri");
        if (redirect.isEmpty() || !app.get().callbackUrls().contains(redirect.get())) {
            FakeHttp.html(exchange, 400, LoginPage.error("Invalid callback URL",
                    "redirect_uri is missing or not one of the application's allowed callback URLs."));
            return;
        }
        URI redirectUri = URI.create(redirect.get());
        Optional<String> state = single(query, "state");
        Optional<ErrorObject> error = validate(query);
        if (error.isPresent()) {
            redirectError(exchange, redirectUri, state, error.get());
            return;
        }
        LoginRequest login = new LoginRequest(clientId.get(), redirectUri, state.orElseThrow(),
                single(query, "nonce"), words(query, "scope"), single(query, "code_challenge").orElseThrow(),
                words(query, "audience"), single(query, "org_code"), single(query, "login_hint"),
                single(query, "connection_id"), single(query, "prompt"),
                kinde.now().plus(FakeTokenEndpoint.CODE_LIFETIME));
        Optional<FakeKinde.AutoLogin> auto = kinde.autoLoginScript();
        if (auto.isPresent()) {
            FakeKinde.AutoLogin script = auto.get();
            Optional<FakeUser> user = kinde.user(script.userId());
            String org = script.orgCode().or(login::orgCode)
                    .orElseGet(() -> user.map(u -> u.orgCodes().isEmpty() ? "" : u.orgCodes().get(0)).orElse(""));
            // a user of no organisation signs in without one; anybody else only into one of theirs
            boolean member = user.isPresent() && (org.isEmpty() ? user.get().memberships().isEmpty()
                    : user.get().membership(org).isPresent());
            if (!member || login.orgCode().filter(requested -> !requested.equals(org)).isPresent()) {
                redirectError(exchange, redirectUri, state, OAuth2Error.ACCESS_DENIED);
                return;
            }
            completeLogin(exchange, login, user.get(), org);
            return;
        }
        // OpenID Connect Core 1.0 §3.1.2.6: prompt=none without an existing session is login_required
        if (login.prompt().filter("none"::equals).isPresent()) {
            redirectError(exchange, redirectUri, state, OIDCError.LOGIN_REQUIRED);
            return;
        }
        String transaction = FakeTokenEndpoint.randomToken();
        pending.put(transaction, login);
        FakeHttp.html(exchange, 200, LoginPage.form(transaction, login.clientId(), redirectUri.getAuthority(),
                accounts(login)));
    }

    /** {@code POST /oauth2/auth/login}: the sign-in form's choice. */
    void login(HttpExchange exchange, Map<String, List<String>> form) throws IOException {
        LoginRequest login = single(form, "tx").map(pending::remove).orElse(null);
        if (login == null || !login.expiresAt().isAfter(kinde.now())) {
            FakeHttp.html(exchange, 400, LoginPage.error("Sign-in expired", "Start again from the application."));
            return;
        }
        Optional<String> state = Optional.of(login.state());
        if (single(form, "cancel").isPresent()) {
            redirectError(exchange, login.redirectUri(), state, OAuth2Error.ACCESS_DENIED);
            return;
        }
        String choice = single(form, "account").orElse("");
        Optional<LoginPage.Account> account = accounts(login).stream().filter(a -> a.value().equals(choice))
                .findFirst();
        if (account.isEmpty()) {
            redirectError(exchange, login.redirectUri(), state, OAuth2Error.ACCESS_DENIED);
            return;
        }
        completeLogin(exchange, login, account.get().user(),
                account.get().org().map(FakeOrg::code).orElse(""));
    }

    private void completeLogin(HttpExchange exchange, LoginRequest login, FakeUser user, String orgCode)
            throws IOException {
        Instant authTime = kinde.now();
        String code = tokens.issueCode(login, user, orgCode, authTime);
        URI location = new AuthorizationSuccessResponse(login.redirectUri(), new AuthorizationCode(code), null,
                new State(login.state()), ResponseMode.QUERY).toURI();
        FakeHttp.redirect(exchange, location);
    }

    private Optional<ErrorObject> validate(Map<String, List<String>> query) {
        for (String name : List.of("response_type", "state", "code_challenge", "code_challenge_method", "nonce",
                "scope", "org_code", "prompt", "login_hint", "connection_id")) {
            if (query.getOrDefault(name, List.of()).size() > 1) {
                return Optional.of(OAuth2Error.INVALID_REQUEST.setDescription(name + " is repeated"));
            }
        }
        if (!single(query, "response_type").filter("code"::equals).isPresent()) {
            return Optional.of(OAuth2Error.UNSUPPORTED_RESPONSE_TYPE);
        }
        if (single(query, "state").isEmpty()) {
            return Optional.of(OAuth2Error.INVALID_REQUEST.setDescription("state is required"));
        }
        // RFC 7636 §4.4.1: this server requires PKCE, and only S256
        if (single(query, "code_challenge").isEmpty()
                || !single(query, "code_challenge_method").filter("S256"::equals).isPresent()) {
            return Optional.of(OAuth2Error.INVALID_REQUEST.setDescription("PKCE with S256 is required"));
        }
        if (!words(query, "scope").contains("openid")) {
            return Optional.of(OAuth2Error.INVALID_SCOPE.setDescription("scope must include openid"));
        }
        Optional<String> org = single(query, "org_code");
        if (org.isPresent() && kinde.org(org.get()).isEmpty()) {
            return Optional.of(OAuth2Error.INVALID_REQUEST.setDescription("Unknown organization"));
        }
        return Optional.empty();
    }

    private List<LoginPage.Account> accounts(LoginRequest login) {
        List<LoginPage.Account> accounts = new ArrayList<>();
        kinde.users().stream().sorted(Comparator.comparing(FakeUser::email))
                .filter(user -> login.loginHint().map(hint -> hint.equalsIgnoreCase(user.email())
                        || hint.equals(user.id())).orElse(true))
                .forEach(user -> {
                    if (user.memberships().isEmpty() && login.orgCode().isEmpty()) {
                        accounts.add(new LoginPage.Account(user, Optional.empty(), Optional.empty()));
                    }
                    user.memberships().stream()
                            .filter(m -> login.orgCode().map(m.orgCode()::equals).orElse(true))
                            .forEach(m -> kinde.org(m.orgCode()).ifPresent(org -> accounts.add(
                                    new LoginPage.Account(user, Optional.of(org), Optional.of(m)))));
                });
        return accounts;
    }

    private static void redirectError(HttpExchange exchange, URI redirectUri, Optional<String> state,
            ErrorObject error) throws IOException {
        URI location = new AuthorizationErrorResponse(redirectUri, error, state.map(State::new).orElse(null),
                ResponseMode.QUERY).toURI();
        FakeHttp.redirect(exchange, location);
    }

    private static Optional<String> single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? Optional.empty()
                : Optional.of(values.get(0));
    }

    /** Space-separated values, across repeated parameters. */
    private static List<String> words(Map<String, List<String>> params, String name) {
        return params.getOrDefault(name, List.of()).stream()
                .flatMap(value -> List.of(value.trim().split("\\s+")).stream()).filter(w -> !w.isEmpty())
                .distinct().toList();
    }
}
