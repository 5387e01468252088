package dev.kindemcp.bridge.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Row of {@code signing_key}; never leaves the store package.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7517#section-4">RFC 7517 §4 JSON Web Key</a>
 */
@Entity
@Table(name = "signing_key")
class SigningKeyEntity {

    @Id
    @Column(name = "kid")
    String kid;

    @Column(name = "algorithm", nullable = false)
    String algorithm;

    @Column(name = "public_jwk", nullable = false)
    String publicJwk;

    @Column(name = "private_jwk_enc", nullable = false)
    String privateJwkEncrypted;

    @Column(name = "created_at", nullable = false)
    long createdAt;

    @Column(name = "activates_at", nullable = false)
    long activatesAt;

    StoredSigningKey toRecord() {
        return new StoredSigningKey(kid, algorithm, publicJwk, privateJwkEncrypted,
                java.time.Instant.ofEpochMilli(createdAt), java.time.Instant.ofEpochMilli(activatesAt));
    }

    static SigningKeyEntity of(StoredSigningKey key) {
        SigningKeyEntity e = new SigningKeyEntity();
        e.kid = key.kid();
        e.algorithm = key.algorithm();
        e.publicJwk = key.publicJwk();
        e.privateJwkEncrypted = key.privateJwkEncrypted();
        e.createdAt = key.createdAt().toEpochMilli();
        e.activatesAt = key.activatesAt().toEpochMilli();
        return e;
    }
}
