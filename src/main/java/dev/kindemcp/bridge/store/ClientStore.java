package dev.kindemcp.bridge.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Persistence of registered clients.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7592#section-2">RFC 7592 §2 Client Configuration Endpoint</a>
 */
public interface ClientStore {

    void save(StoredClient client);

    Optional<StoredClient> find(String clientId);

    /** Replaces a client's row; false when it no longer exists. */
    boolean replace(StoredClient client);

    /** Records a use of a dynamically registered client, which moves its unused-expiry to {@code expiresAt}. */
    void touch(String clientId, Instant now, Instant expiresAt);

    /** Deletes a client; false when it did not exist. */
    boolean delete(String clientId);

    /**
     * Deletes registered clients whose unused lifetime ended before {@code now} and that hold no live refresh
     * family; returns how many.
     */
    int purgeExpired(Instant now);
}
