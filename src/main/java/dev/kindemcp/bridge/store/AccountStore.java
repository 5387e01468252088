package dev.kindemcp.bridge.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the connected-apps page and the admin API read and end (issue 15.4): account sessions, a user's live
 * grants (refresh families) and the approvals (consents) recorded for them.
 */
public interface AccountStore {

    /** A signed-in account page: whose, in which organisation, and whether an operator. */
    record AccountSession(String kindeUserId, Optional<String> orgCode, boolean operator, Instant expiresAt) {
    }

    /** A live refresh family as listed: the grant of one client to one user. */
    record LiveGrant(String familyId, String clientId, String kindeSubject, String identityJson, String scope,
            Instant createdAt, Instant lastUsedAt) {
    }

    /** An approval a signed-in user gave a client. */
    record Approval(String clientId, String kindeUserId, String scope, Instant createdAt, Instant updatedAt) {
    }

    void createSession(String idHash, AccountSession session, Instant now);

    /** The session with this hash when it has not expired. */
    Optional<AccountSession> findSession(String idHash, Instant now);

    void deleteSession(String idHash);

    int purgeSessions(Instant now);

    /**
     * Live families (not revoked, not past their absolute lifetime) of {@code user} and {@code client} when given,
     * newest first, at most {@code limit}; machine grants ({@code client:} and {@code kinde-m2m:} subjects) are left
     * out.
     */
    List<LiveGrant> liveGrants(Optional<String> user, Optional<String> client, Instant now, int limit);

    /** Approvals of signed-in users, of {@code user} and {@code client} when given, at most {@code limit}. */
    List<Approval> approvals(Optional<String> user, Optional<String> client, int limit);

    /** Revokes the live families of {@code user} with {@code client}; answers their vault grant ids. */
    List<String> revokeGrants(String user, String client, Instant now);

    /** Forgets what {@code user} approved for {@code client}, in every browser; answers how many approvals. */
    int forgetApprovals(String user, String client);
}
