package dev.kindemcp.bridge.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * Row of {@code consent}: one browser's approval of one client; never leaves the store package.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/docs/tutorials/security/security_best_practices#confused-deputy-problem">MCP Security Best Practices: "Confused Deputy Problem" (per-client consent registry)</a>
 */
@Entity
@Table(name = "consent")
@IdClass(ConsentEntity.Key.class)
class ConsentEntity {

    @Id
    @Column(name = "browser_hash")
    String browserHash;
    @Id
    @Column(name = "client_id")
    String clientId;
    @Column(name = "scope", nullable = false)
    String scope;
    @Column(name = "kinde_user_id")
    String kindeUserId;
    @Column(name = "created_at", nullable = false)
    long createdAt;
    @Column(name = "updated_at", nullable = false)
    long updatedAt;

    /** Composite key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        String browserHash;
        String clientId;

        public Key() {
        }

        Key(String browserHash, String clientId) {
            this.browserHash = browserHash;
            this.clientId = clientId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(browserHash, k.browserHash) && Objects.equals(clientId, k.clientId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(browserHash, clientId);
        }
    }
}
