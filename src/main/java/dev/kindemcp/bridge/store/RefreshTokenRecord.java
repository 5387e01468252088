package dev.kindemcp.bridge.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A refresh token as stored (by hash); once rotated it keeps its successor pair, encrypted, for the grace
 * window.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 §6 Refreshing an Access Token</a>
 */
public record RefreshTokenRecord(String tokenHash, String familyId, Instant createdAt, Instant idleExpiresAt,
        Optional<Instant> rotatedAt, Optional<String> successorEncrypted) {

    public RefreshTokenRecord {
        Objects.requireNonNull(tokenHash, "tokenHash must not be null");
        Objects.requireNonNull(familyId, "familyId must not be null");
        Objects.requireNonNull(createdAt, "createdAt must not be null");
        Objects.requireNonNull(idleExpiresAt, "idleExpiresAt must not be null");
        Objects.requireNonNull(rotatedAt, "rotatedAt must not be null");
        Objects.requireNonNull(successorEncrypted, "successorEncrypted must not be null");
    }
}
