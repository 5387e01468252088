package dev.kindemcp.bridge.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered client as stored: its metadata as registered (RFC 7591 member names, JSON), and the hashes of
 * its secret and registration access token.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1">RFC 7591 §3.2.1 Client Information Response</a>
 */
public record StoredClient(String clientId, Kind kind, String metadataJson, Optional<String> secretHash,
        Optional<String> registrationTokenHash, Instant issuedAt, Instant lastUsedAt, Optional<Instant> expiresAt) {

    /** How a client came to be. */
    public enum Kind {
        /** Open Dynamic Client Registration (RFC 7591). */
        DCR,
        /** Created by the operator; may be confidential and use client_credentials. */
        PROVISIONED
    }

    public StoredClient {
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(metadataJson, "metadataJson must not be null");
        Objects.requireNonNull(secretHash, "secretHash must not be null");
        Objects.requireNonNull(registrationTokenHash, "registrationTokenHash must not be null");
        Objects.requireNonNull(issuedAt, "issuedAt must not be null");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt must not be null");
        Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    }

    @Override
    public String toString() {
        return "StoredClient[clientId=" + clientId + ", kind=" + kind + "]";
    }
}
