package dev.kindemcp.bridge.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A refresh-token family: one grant of one client, with what its access tokens carry.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2 Recommendations (refresh token rotation)</a>
 */
public record RefreshFamily(String id, String clientId, String grantId, String kindeSubject, String identityJson,
        String scope, String resource, Optional<String> codeHash, Instant createdAt, Instant absoluteExpiresAt,
        Optional<Instant> revokedAt) {

    public RefreshFamily {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(grantId, "grantId must not be null");
        Objects.requireNonNull(kindeSubject, "kindeSubject must not be null");
        Objects.requireNonNull(identityJson, "identityJson must not be null");
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(resource, "resource must not be null");
        Objects.requireNonNull(codeHash, "codeHash must not be null");
        Objects.requireNonNull(createdAt, "createdAt must not be null");
        Objects.requireNonNull(absoluteExpiresAt, "absoluteExpiresAt must not be null");
        Objects.requireNonNull(revokedAt, "revokedAt must not be null");
    }
}
