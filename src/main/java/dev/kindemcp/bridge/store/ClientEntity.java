package dev.kindemcp.bridge.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * Row of {@code oauth_client}; never leaves the store package.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-2">RFC 7591 §2 Client Metadata</a>
 */
@Entity
@Table(name = "oauth_client")
class ClientEntity {

    @Id
    @Column(name = "client_id")
    String clientId;

    @Column(name = "kind", nullable = false)
    String kind;

    @Column(name = "metadata_json", nullable = false)
    String metadataJson;

    @Column(name = "secret_hash")
    String secretHash;

    @Column(name = "registration_token_hash")
    String registrationTokenHash;

    @Column(name = "issued_at", nullable = false)
    long issuedAt;

    @Column(name = "last_used_at", nullable = false)
    long lastUsedAt;

    @Column(name = "expires_at")
    Long expiresAt;

    StoredClient toRecord() {
        return new StoredClient(clientId, StoredClient.Kind.valueOf(kind), metadataJson,
                Optional.ofNullable(secretHash), Optional.ofNullable(registrationTokenHash),
                Instant.ofEpochMilli(issuedAt), Instant.ofEpochMilli(lastUsedAt),
                Optional.ofNullable(expiresAt).map(Instant::ofEpochMilli));
    }

    void copyFrom(StoredClient c) {
        clientId = c.clientId();
        kind = c.kind().name();
        metadataJson = c.metadataJson();
        secretHash = c.secretHash().orElse(null);
        registrationTokenHash = c.registrationTokenHash().orElse(null);
        issuedAt = c.issuedAt().toEpochMilli();
        lastUsedAt = c.lastUsedAt().toEpochMilli();
        expiresAt = c.expiresAt().map(Instant::toEpochMilli).orElse(null);
    }
}
