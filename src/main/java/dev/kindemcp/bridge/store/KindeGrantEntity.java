package dev.kindemcp.bridge.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Row of {@code kinde_grant}, the token vault; never leaves the store package.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.9.2">RFC 9700 §4.9.2 (tokens at rest)</a>
 */
@Entity
@Table(name = "kinde_grant")
class KindeGrantEntity {

    @Id
    @Column(name = "id")
    String id;
    @Column(name = "kinde_subject")
    String kindeSubject;
    @Column(name = "org_code")
    String orgCode;
    @Column(name = "tokens_enc", nullable = false)
    String tokensEncrypted;
    @Column(name = "access_expires_at", nullable = false)
    long accessExpiresAt;
    @Column(name = "created_at", nullable = false)
    long createdAt;
    @Column(name = "updated_at", nullable = false)
    long updatedAt;
    /** When the row may be purged if no refresh family holds it (epoch ms); null while a family holds it. */
    @Column(name = "purge_after")
    Long purgeAfter;
}
