package dev.kindemcp.bridge.authorization;

import dev.kindemcp.bridge.oauth.ValidatedRedirect;
import dev.kindemcp.bridge.registration.KnownClient;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An authorization request that passed every check: who asks, where the answer goes, the PKCE challenge,
 * the scopes and resource the code will be bound to, and the parameters passed on to Kinde.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1">RFC 6749 §4.1.1 Authorization Request</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636#section-4.3">RFC 7636 §4.3 Client Sends the Code Challenge</a>
 */
public record ValidatedAuthorization(KnownClient client, ValidatedRedirect redirect, String codeChallenge,
        List<String> scopes, String resource, Map<String, String> passthrough) {

    public ValidatedAuthorization {
        Objects.requireNonNull(client, "client must not be null");
        Objects.requireNonNull(redirect, "redirect must not be null");
        Objects.requireNonNull(codeChallenge, "codeChallenge must not be null");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(resource, "resource must not be null");
        passthrough = Map.copyOf(passthrough);
    }

    /** The scopes as one space-separated string. */
    public String scope() {
        return String.join(" ", scopes);
    }
}
