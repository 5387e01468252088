package dev.kindemcp.bridge.authorization;

import dev.kindemcp.bridge.oauth.RequestParameters;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ErrorObject;
import dev.kindemcp.bridge.oauth.AuthorizationException;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.ValidatedRedirect;
import dev.kindemcp.bridge.registration.KnownClient;
import dev.kindemcp.bridge.registration.RedirectUriPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks an authorization request in the order that decides where an error may go: first the client and
 * its redirect URI (errors are shown as a page), then everything else (errors go back to the client with
 * {@code state} and {@code iss}).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1">RFC 6749 §4.1.2.1 Error Response</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636#section-4.4.1">RFC 7636 §4.4.1 Error Response</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8707#section-2">RFC 8707 §2 Resource Parameter</a>
 */
public final class AuthorizationRequestValidator {

    static final int MAX_STATE_LENGTH = 4096;
    static final int MAX_SCOPE_LENGTH = 1000;
    /** RFC 7636 §4.2: S256 challenge = BASE64URL(SHA256(verifier)), 43 characters without padding. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7E]{1,256}");
    private static final List<String> PROMPTS = List.of("login", "create", "none");

    private final Function<String, Optional<KnownClient>> clients;
    private final List<String> supportedScopes;
    private final List<String> defaultScopes;
    private final String mcpResource;

    /**
     * @param clients         finds a client by client_id (may throw {@code invalid_client} for CIMD)
     * @param supportedScopes the bridge's scopes
     * @param defaultScopes   what a request that names no known scope gets
     * @param mcpResource     the canonical URI of the one protected resource
     */
    public AuthorizationRequestValidator(Function<String, Optional<KnownClient>> clients, List<String> supportedScopes,
            List<String> defaultScopes, String mcpResource) {
        this.clients = Objects.requireNonNull(clients, "clients must not be null");
        this.supportedScopes = List.copyOf(supportedScopes);
        this.defaultScopes = List.copyOf(defaultScopes);
        this.mcpResource = Objects.requireNonNull(mcpResource, "mcpResource must not be null");
    }

    public ValidatedAuthorization validate(RequestParameters params) {
        KnownClient client = client(params);
        ValidatedRedirect redirect = redirect(params, client);
        List<String> duplicates = params.duplicates();
        if (!duplicates.isEmpty()) {
            // OAuth 2.1 (draft-ietf-oauth-v2-1-13) §3.1: parameters MUST NOT be included more than once
            if (duplicates.contains("resource")) {
                throw error(OAuth2Error.INVALID_TARGET, "one authorization request names one resource", redirect);
            }
            throw error(OAuth2Error.INVALID_REQUEST, "parameter sent more than once: " + duplicates.get(0), redirect);
        }
        if (!client.grantTypes().contains("authorization_code")) {
            throw error(OAuth2Error.UNAUTHORIZED_CLIENT, "this client may not use the authorization code flow",
                    redirect);
        }
        responseType(params, redirect);
        String challenge = codeChallenge(params, redirect);
        List<String> scopes = scopes(params, client, redirect);
        String resource = resource(params, redirect);
        return new ValidatedAuthorization(client, redirect, challenge, scopes, resource, passthrough(params));
    }

    /** RFC 6749 §4.1.2.1: an unknown or missing client is never redirected to. */
    private KnownClient client(RequestParameters params) {
        if (params.count("client_id") != 1 || params.single("client_id").isEmpty()) {
            throw new AuthorizationException(OAuth2Error.INVALID_REQUEST, "the request must name exactly one client_id");
        }
        String clientId = params.single("client_id").get();
        Optional<KnownClient> client;
        try {
            client = clients.apply(clientId);
        } catch (OAuthException e) {
            throw new AuthorizationException(OAuth2Error.INVALID_CLIENT, e.error().getDescription());
        }
        return client.orElseThrow(() -> new AuthorizationException(OAuth2Error.INVALID_CLIENT,
                "the client is not known to this server"));
    }

    /**
     * RFC 9700 §2.1: the redirect URI must equal a registered one exactly (any port for loopback); when it is
     * omitted the client must have exactly one.
     */
    private static ValidatedRedirect redirect(RequestParameters params, KnownClient client) {
        int count = params.count("redirect_uri");
        String chosen;
        if (count == 0) {
            if (client.redirectUris().size() != 1) {
                throw new AuthorizationException(OAuth2Error.INVALID_REQUEST,
                        "redirect_uri is required for a client with several redirect URIs");
            }
            chosen = client.redirectUris().get(0);
        } else {
            Optional<String> requested = params.single("redirect_uri");
            if (count > 1 || requested.isEmpty()) {
                throw new AuthorizationException(OAuth2Error.INVALID_REQUEST, "the request must name one redirect_uri");
            }
            chosen = requested.get();
            if (client.redirectUris().stream().noneMatch(r -> RedirectUriPolicy.matches(r, chosen))) {
                throw new AuthorizationException(OAuth2Error.INVALID_REQUEST,
                        "the redirect_uri is not registered for this client");
            }
        }
        Optional<String> state = params.count("state") == 1 ? params.single("state") : Optional.empty();
        if (state.isPresent() && state.get().length() > MAX_STATE_LENGTH) {
            state = Optional.empty();
        }
        return new ValidatedRedirect(client.clientId(), chosen, state);
    }

    /** RFC 6749 §4.1.1: response_type=code only (no implicit, no hybrid). */
    private static void responseType(RequestParameters params, ValidatedRedirect redirect) {
        Optional<String> type = params.single("response_type");
        if (type.isEmpty()) {
            throw error(OAuth2Error.INVALID_REQUEST, "response_type is required", redirect);
        }
        if (!type.get().equals("code")) {
            throw error(OAuth2Error.UNSUPPORTED_RESPONSE_TYPE, "only response_type=code is supported", redirect);
        }
        Optional<String> state = params.single("state");
        if (state.isPresent() && state.get().length() > MAX_STATE_LENGTH) {
            throw error(OAuth2Error.INVALID_REQUEST, "state must not exceed " + MAX_STATE_LENGTH + " characters",
                    redirect);
        }
    }

    /** OAuth 2.1 (draft-ietf-oauth-v2-1-13) §4.1.1: PKCE is required, S256 only (plain and a missing method refused). */
    private static String codeChallenge(RequestParameters params, ValidatedRedirect redirect) {
        Optional<String> challenge = params.single("code_challenge");
        if (challenge.isEmpty()) {
            throw error(OAuth2Error.INVALID_REQUEST, "code_challenge is required (PKCE)", redirect);
        }
        if (!params.single("code_challenge_method").map("S256"::equals).orElse(false)) {
            throw error(OAuth2Error.INVALID_REQUEST, "code_challenge_method must be S256", redirect);
        }
        if (!S256_CHALLENGE.matcher(challenge.get()).matches()) {
            throw error(OAuth2Error.INVALID_REQUEST, "code_challenge must be 43 base64url characters", redirect);
        }
        return challenge.get();
    }

    /**
     * RFC 6749 §3.3: scope tokens; control characters are refused. Deviation: unknown scopes are dropped rather
     * than refused with invalid_scope because real clients send scopes such as offline_access, openid or
     * claudeai (spec-requirements.md §3c quirk 6); a request naming none of the bridge's scopes gets the
     * defaults. A bridge scope the client may not be granted ({@link KnownClient#scopes()}) is refused with
     * invalid_scope (security-catalogue AZ-15): dropping it would hand out a token that fails later.
     */
    private List<String> scopes(RequestParameters params, KnownClient client, ValidatedRedirect redirect) {
        String raw = params.single("scope").orElse("");
        if (raw.length() > MAX_SCOPE_LENGTH || !raw.matches("[\\x20-\\x7E]*")) {
            throw error(OAuth2Error.INVALID_SCOPE, "scope must be printable scope tokens separated by spaces",
                    redirect);
        }
        List<String> kept = new ArrayList<>();
        for (String s : raw.trim().split(" +")) {
            if (supportedScopes.contains(s) && !kept.contains(s)) {
                kept.add(s);
            }
        }
        List<String> beyond = kept.stream().filter(s -> !client.scopes().contains(s)).toList();
        if (!beyond.isEmpty()) {
            throw error(OAuth2Error.INVALID_SCOPE, "this client is not registered for the scope "
                    + String.join(" ", beyond), redirect);
        }
        return kept.isEmpty() ? client.defaultScopes(defaultScopes) : kept;
    }

    /**
     * RFC 8707 §2: the resource must be an absolute URI without fragment naming the bridge's resource;
     * absent, it defaults to the one MCP resource (older clients never send it).
     */
    private String resource(RequestParameters params, ValidatedRedirect redirect) {
        if (params.count("resource") == 0) {
            return mcpResource;
        }
        Optional<String> canonical = params.single("resource").flatMap(ResourceIndicator::canonical);
        if (canonical.isEmpty() || !canonical.get().equals(ResourceIndicator.canonical(mcpResource).orElseThrow())) {
            throw error(OAuth2Error.INVALID_TARGET, "the resource is not served by this authorization server",
                    redirect);
        }
        return mcpResource;
    }

    /** The allowlisted parameters passed on to Kinde; malformed values are dropped. */
    private static Map<String, String> passthrough(RequestParameters params) {
        Map<String, String> kept = new LinkedHashMap<>();
        params.single("org_code").filter(v -> IDENTIFIER.matcher(v).matches()).ifPresent(v -> kept.put("org_code", v));
        params.single("connection_id").filter(v -> IDENTIFIER.matcher(v).matches())
                .ifPresent(v -> kept.put("connection_id", v));
        params.single("login_hint").filter(v -> PRINTABLE.matcher(v).matches())
                .ifPresent(v -> kept.put("login_hint", v));
        params.single("prompt").filter(PROMPTS::contains).ifPresent(v -> kept.put("prompt", v));
        return kept;
    }

    private static AuthorizationException error(ErrorObject code, String description, ValidatedRedirect redirect) {
        return new AuthorizationException(code, description, redirect);
    }
}
