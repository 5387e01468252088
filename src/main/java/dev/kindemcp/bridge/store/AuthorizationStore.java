package dev.kindemcp.bridge.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of the authorization leg: requests in progress, per-browser consents, and the bridge's
 * authorization codes. Every "consume" is an atomic compare-and-set, so a value works once even under races.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-10.12">RFC 6749 §10.12 Cross-Site Request Forgery</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 §4.1.2 (codes used once)</a>
 */
public interface AuthorizationStore {

    void saveRequest(PendingAuthorization request);

    Optional<PendingAuthorization> findRequest(String id);

    /** The request waiting at Kinde under this upstream state hash. */
    Optional<PendingAuthorization> findByUpstreamState(String upstreamStateHash);

    /**
     * Spends the consent form's CSRF token: true once for the request, browser and token that match while the
     * request waits for consent and has not expired; false otherwise (and for every later attempt).
     */
    boolean consumeCsrf(String id, String csrfHash, String browserHash, Instant now);

    /** Records the Kinde leg of an approved request. */
    void startUpstream(String id, String upstreamStateHash, String flowCookieHash, String nonce,
            String verifierEncrypted, Instant expiresAt);

    /** Spends the upstream state: true once, while the request is at Kinde and has not expired. */
    boolean consumeUpstreamState(String id, Instant now);

    void deleteRequest(String id);

    /** The scope this browser approved for this client, if any. */
    Optional<String> findConsent(String browserHash, String clientId);

    /** Records (or widens) this browser's approval of a client. */
    void saveConsent(String browserHash, String clientId, String scope, Instant now);

    /** Names the Kinde user who logged in under an approval. */
    void attachConsentUser(String browserHash, String clientId, String kindeUserId);

    /** Forgets every approval of a client (its redirect URIs or scopes changed, or it was deleted). */
    int deleteConsents(String clientId);

    void saveCode(IssuedCode code);

    /** Deletes every code of a client (it was deleted); returns the vault grant ids of those not redeemed. */
    List<String> deleteCodesOfClient(String clientId);

    Optional<IssuedCode> findCode(String codeHash);

    /** Deletes requests and codes that expired before {@code now}; returns how many rows went. */
    int purgeExpired(Instant now);
}
