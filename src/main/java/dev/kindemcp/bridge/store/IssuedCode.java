package dev.kindemcp.bridge.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A bridge authorization code as stored (by hash) with everything it is bound to.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 §4.1.2 Authorization Response</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636#section-4.4">RFC 7636 §4.4 Server Returns the Code</a>
 */
public record IssuedCode(String codeHash, String clientId, String redirectUri, String codeChallenge, String scope,
        String resource, String grantId, String kindeSubject, Optional<String> orgCode, String identityJson,
        Instant issuedAt, Instant expiresAt, Optional<Instant> consumedAt) {

    public IssuedCode {
        Objects.requireNonNull(codeHash, "codeHash must not be null");
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(redirectUri, "redirectUri must not be null");
        Objects.requireNonNull(codeChallenge, "codeChallenge must not be null");
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(resource, "resource must not be null");
        Objects.requireNonNull(grantId, "grantId must not be null");
        Objects.requireNonNull(kindeSubject, "kindeSubject must not be null");
        Objects.requireNonNull(orgCode, "orgCode must not be null");
        Objects.requireNonNull(identityJson, "identityJson must not be null");
        Objects.requireNonNull(issuedAt, "issuedAt must not be null");
        Objects.requireNonNull(expiresAt, "expiresAt must not be null");
        Objects.requireNonNull(consumedAt, "consumedAt must not be null");
    }
}
