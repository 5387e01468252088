package dev.kindemcp.bridge.kinde.fake;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated authorization request waiting for a login: who asked, where to send the user back, and what the
 * resulting tokens must carry (scopes, nonce, audiences, PKCE challenge).
 *
 * <p>Related specifications:
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest">OpenID Connect Core 1.0 §3.1.2.1 Authentication Request</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636#section-4.3">RFC 7636 §4.3 Client Sends the Code Challenge</a>
 */
record LoginRequest(
        String clientId,
        URI redirectUri,
        String state,
        Optional<String> nonce,
        List<String> scopes,
        String codeChallenge,
        List<String> audiences,
        Optional<String> orgCode,
        Optional<String> loginHint,
        Optional<String> connectionId,
        Optional<String> prompt,
        Instant expiresAt) {

    LoginRequest {
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(redirectUri, "redirectUri must not be null");
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(nonce, "nonce must not be null");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(codeChallenge, "codeChallenge must not be null");
        audiences = List.copyOf(audiences);
        Objects.requireNonNull(orgCode, "orgCode must not be null");
        Objects.requireNonNull(loginHint, "loginHint must not be null");
        Objects.requireNonNull(connectionId, "connectionId must not be null");
        Objects.requireNonNull(prompt, "prompt must not be null");
        Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    }
}
