package dev.kindemcp.bridge.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * Row of {@code refresh_token}; never leaves the store package.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 §6 Refreshing an Access Token</a>
 */
@Entity
@Table(name = "refresh_token")
class RefreshTokenEntity {

    @Id
    @Column(name = "token_hash")
    String tokenHash;
    @Column(name = "family_id", nullable = false)
    String familyId;
    @Column(name = "created_at", nullable = false)
    long createdAt;
    @Column(name = "idle_expires_at", nullable = false)
    long idleExpiresAt;
    @Column(name = "rotated_at")
    Long rotatedAt;
    @Column(name = "successor_enc")
    String successorEncrypted;

    RefreshTokenRecord toRecord() {
        return new RefreshTokenRecord(tokenHash, familyId, Instant.ofEpochMilli(createdAt),
                Instant.ofEpochMilli(idleExpiresAt), Optional.ofNullable(rotatedAt).map(Instant::ofEpochMilli),
                Optional.ofNullable(successorEncrypted));
    }

    static RefreshTokenEntity of(RefreshTokenRecord r) {
        RefreshTokenEntity e = new RefreshTokenEntity();
        e.tokenHash = r.tokenHash();
        e.familyId = r.familyId();
        e.createdAt = r.createdAt().toEpochMilli();
        e.idleExpiresAt = r.idleExpiresAt().toEpochMilli();
        e.rotatedAt = r.rotatedAt().map(Instant::toEpochMilli).orElse(null);
        e.successorEncrypted = r.successorEncrypted().orElse(null);
        return e;
    }
}
