package dev.kindemcp.bridge.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.RequestParameters;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.oauth.TokenBucket;
import dev.kindemcp.bridge.registration.ClientDirectory;
import dev.kindemcp.bridge.registration.KnownClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Authenticates the client of a token-endpoint request with exactly one method, the one it registered:
 * {@code client_secret_basic}, {@code client_secret_post} or {@code none} (public clients, which then only
 * name themselves). Secrets are compared by hash in constant time.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1">RFC 6749 §2.3.1 Client Password</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2 (invalid_client, 401 with WWW-Authenticate)</a>
 */
@ApplicationScoped
public class ClientAuthenticator {

    /**
     * Failed authentications allowed per source address and client id and minute (TK-17) by default
     * ({@code bridge.client-authentication.failures-per-minute}).
     */
    static final int FAILURES_PER_MINUTE = 10;

    /** The challenge of a failed Basic authentication at the token, revocation and introspection endpoints. */
    static final String BASIC_CHALLENGE = "Basic realm=\"token\"";

    private final ClientDirectory clients;
    private final TokenBucket failures;

    @Inject
    public ClientAuthenticator(ClientDirectory clients, Clock clock, dev.kindemcp.bridge.config.BridgeConfig config) {
        this.clients = Objects.requireNonNull(clients, "clients must not be null");
        // bridge.client-authentication.failures-per-minute: per instance (src/site/markdown/cluster.md)
        this.failures = new TokenBucket(config.tokens().clientAuthFailuresPerMinute(), clock);
    }

    ClientAuthenticator() { // CDI proxy
        this.clients = null;
        this.failures = null;
    }

    /**
     * {@link #authenticate(RequestParameters, Optional)} with guessing throttled: after too many failures for
     * this client from this source, every attempt is 429 until the allowance refills.
     */
    public KnownClient authenticate(RequestParameters params, Optional<String> authorization, String source) {
        String key = source + " " + credentials(params, authorization).map(Credentials::clientId).orElse("");
        return throttled(key, () -> authenticate(params, authorization));
    }

    /**
     * Runs an authentication that another party checks (a Kinde M2M application's credentials, which Kinde
     * checks), throttled like the bridge's own: the failures of every client id the bridge does not know count
     * together per source, since a guesser can name a new id with every attempt and each one costs a call to Kinde.
     */
    public <T> T throttledForeign(String source, java.util.function.Supplier<T> authentication) {
        return throttled(source + " (client ids unknown to the bridge)", authentication);
    }

    private <T> T throttled(String key, java.util.function.Supplier<T> authentication) {
        long wait = failures.check(key);
        if (wait > 0) {
            // RFC 6749 §10.10: credential guessing is throttled
            throw new OAuthException(OAuth2Error.TEMPORARILY_UNAVAILABLE.setHTTPStatusCode(429),
                    "too many failed client authentications, retry later", "throttled " + key)
                    .retryAfter(TokenBucket.retryAfterSeconds(wait));
        }
        try {
            return authentication.get();
        } catch (OAuthException e) {
            if (OAuth2Error.INVALID_CLIENT.getCode().equals(e.error().getCode())) {
                failures.take(key);
            }
            throw e;
        }
    }

    /** Client credentials as presented: id and secret, by Basic or in the form; exactly one method. */
    public record Credentials(String clientId, Optional<String> secret, boolean basic) {

        /** RFC 6749 §5.2: the refusal of these credentials, with a Basic challenge when they came by Basic. */
        public OAuthException refusal(OAuthException refused) {
            return basic ? refused.challenge(BASIC_CHALLENGE) : refused;
        }
    }

    /** The credentials of a request without looking the client up; empty when it names no client. */
    public Optional<Credentials> credentials(RequestParameters params, Optional<String> authorization) {
        Optional<String[]> basic = authorization.filter(h -> h.regionMatches(true, 0, "Basic ", 0, 6))
                .map(ClientAuthenticator::basic);
        if (basic.isPresent()) {
            if (params.single("client_secret").isPresent()) {
                throw new OAuthException(OAuth2Error.INVALID_REQUEST, "use one client authentication method");
            }
            return Optional.of(new Credentials(basic.get()[0], Optional.of(basic.get()[1]), true));
        }
        return params.single("client_id").map(id -> new Credentials(id, params.single("client_secret"), false));
    }

    /** Whether a bridge client with this id exists (registered, provisioned, or a CIMD URL). */
    public boolean knows(String clientId) {
        try {
            return clients.find(clientId).isPresent();
        } catch (OAuthException e) {
            return true;
        }
    }

    /** The client, authenticated; {@code authorization} is the request's Authorization header, if any. */
    public KnownClient authenticate(RequestParameters params, Optional<String> authorization) {
        Optional<String[]> basic = authorization.filter(h -> h.regionMatches(true, 0, "Basic ", 0, 6))
                .map(ClientAuthenticator::basic);
        Optional<String> postedSecret = params.single("client_secret");
        Optional<String> postedId = params.single("client_id");
        if (basic.isPresent() && postedSecret.isPresent()) {
            // OAuth 2.1 (draft-ietf-oauth-v2-1-13) §2.4: one authentication method per request
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "use one client authentication method");
        }
        if (basic.isPresent() && postedId.isPresent() && !postedId.get().equals(basic.get()[0])) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "client_id differs from the authenticated client");
        }
        String method = basic.isPresent() ? "client_secret_basic" : postedSecret.isPresent() ? "client_secret_post"
                : "none";
        String clientId = basic.map(b -> b[0]).or(() -> postedId).orElseThrow(
                () -> invalid(method, "the client must identify itself"));
        Optional<KnownClient> found;
        try {
            found = clients.find(clientId);
        } catch (OAuthException e) {
            throw invalid(method, "the client metadata document cannot be used");
        }
        KnownClient client = found.orElseThrow(() -> invalid(method, "client authentication failed"));
        if (!client.authMethod().equals(method)) {
            // OAuth 2.1 (draft-ietf-oauth-v2-1-13) §2.4: a confidential client MUST authenticate; PKCE is no substitute
            throw invalid(method, "client authentication failed");
        }
        if (!method.equals("none")) {
            String secret = basic.map(b -> b[1]).or(() -> postedSecret).orElse("");
            if (client.secretHash().map(hash -> !Secrets.matches(secret, hash)).orElse(true)) {
                throw invalid(method, "client authentication failed");
            }
        }
        return client;
    }

    private static String[] basic(String header) {
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("no colon");
            }
            // RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "the Basic authorization header is malformed");
        }
    }

    private static OAuthException invalid(String method, String description) {
        OAuthException e = new OAuthException(OAuth2Error.INVALID_CLIENT, description);
        // RFC 6749 §5.2: a failed Basic authentication is answered 401 with a Basic challenge
        return method.equals("client_secret_basic") ? e.challenge(BASIC_CHALLENGE) : e;
    }
}
