package dev.kindemcp.bridge.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The token vault: Kinde tokens behind each bridge grant, stored only as ciphertext.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.9.2">RFC 9700 §4.9.2 (tokens at rest)</a>
 */
public interface KindeGrantStore {

    /** One vault entry. */
    record StoredGrant(String id, Optional<String> kindeSubject, Optional<String> orgCode, String tokensEncrypted,
            Instant accessExpiresAt, Instant createdAt, Instant updatedAt) {
        public StoredGrant {
            Objects.requireNonNull(id, "id must not be null");
            Objects.requireNonNull(kindeSubject, "kindeSubject must not be null");
            Objects.requireNonNull(orgCode, "orgCode must not be null");
            Objects.requireNonNull(tokensEncrypted, "tokensEncrypted must not be null");
            Objects.requireNonNull(accessExpiresAt, "accessExpiresAt must not be null");
            Objects.requireNonNull(createdAt, "createdAt must not be null");
            Objects.requireNonNull(updatedAt, "updatedAt must not be null");
        }

        @Override
        public String toString() {
            return "StoredGrant[id=" + id + "]";
        }
    }

    void save(StoredGrant grant);

    /**
     * Runs {@code work} while holding the entry's row lock ({@code SELECT … FOR UPDATE}), in one transaction that
     * the work's own calls to this store join, so that every bridge instance sharing the database renews a grant
     * one at a time. The work gets the entry as it is once the lock is held (empty when there is none). What it
     * wrote stays written when it throws (a refusal recorded before the refusal is reported).
     */
    <T> T underLock(String id, java.util.function.Function<Optional<StoredGrant>, T> work);

    Optional<StoredGrant> find(String id);

    /**
     * Replaces the tokens of an existing entry (after a refresh); never creates one, so that a grant revoked
     * meanwhile stays revoked.
     *
     * @return whether the entry existed and was updated
     */
    boolean updateTokens(String id, String tokensEncrypted, Instant accessExpiresAt, Instant updatedAt);

    /**
     * Deletes the entry, with the Kinde tokens in it.
     *
     * @return whether there was an entry
     */
    boolean revokeByGrantId(String id);
}
