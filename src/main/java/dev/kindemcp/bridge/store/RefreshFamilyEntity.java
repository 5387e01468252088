package dev.kindemcp.bridge.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * Row of {@code refresh_family}; never leaves the store package.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2 Recommendations</a>
 */
@Entity
@Table(name = "refresh_family")
class RefreshFamilyEntity {

    @Id
    @Column(name = "id")
    String id;
    @Column(name = "client_id", nullable = false)
    String clientId;
    @Column(name = "grant_id", nullable = false)
    String grantId;
    @Column(name = "kinde_subject", nullable = false)
    String kindeSubject;
    @Column(name = "identity_json", nullable = false)
    String identityJson;
    @Column(name = "scope", nullable = false)
    String scope;
    @Column(name = "resource", nullable = false)
    String resource;
    @Column(name = "code_hash")
    String codeHash;
    @Column(name = "created_at", nullable = false)
    long createdAt;
    @Column(name = "absolute_expires_at", nullable = false)
    long absoluteExpiresAt;
    @Column(name = "revoked_at")
    Long revokedAt;

    RefreshFamily toRecord() {
        return new RefreshFamily(id, clientId, grantId, kindeSubject, identityJson, scope, resource,
                Optional.ofNullable(codeHash), Instant.ofEpochMilli(createdAt), Instant.ofEpochMilli(absoluteExpiresAt),
                Optional.ofNullable(revokedAt).map(Instant::ofEpochMilli));
    }

    static RefreshFamilyEntity of(RefreshFamily f) {
        RefreshFamilyEntity e = new RefreshFamilyEntity();
        e.id = f.id();
        e.clientId = f.clientId();
        e.grantId = f.grantId();
        e.kindeSubject = f.kindeSubject();
        e.identityJson = f.identityJson();
        e.scope = f.scope();
        e.resource = f.resource();
        e.codeHash = f.codeHash().orElse(null);
        e.createdAt = f.createdAt().toEpochMilli();
        e.absoluteExpiresAt = f.absoluteExpiresAt().toEpochMilli();
        e.revokedAt = f.revokedAt().map(Instant::toEpochMilli).orElse(null);
        return e;
    }
}
