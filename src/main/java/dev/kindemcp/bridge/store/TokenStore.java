package dev.kindemcp.bridge.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of the token lifecycle: single-use authorization codes, refresh-token families and rotation.
 * Every state change that must happen once is a conditional update.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 §4.1.2 (code used once, replay revokes)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2 (refresh token rotation)</a>
 */
public interface TokenStore {

    /** Marks the code used: true for exactly one caller while it is unused and unexpired. */
    boolean consumeCode(String codeHash, Instant now);

    /** Starts a family with its first refresh token, in one transaction. */
    void saveFamily(RefreshFamily family, RefreshTokenRecord first);

    Optional<RefreshFamily> findFamily(String familyId);

    Optional<RefreshTokenRecord> findToken(String tokenHash);

    /**
     * Rotates a refresh token: true for exactly one caller while it is unrotated; that caller's successor
     * pair (encrypted) is recorded on the old token and the successor token is saved, in one transaction.
     */
    boolean rotate(String tokenHash, Instant now, String successorEncrypted, RefreshTokenRecord successor);

    /** Revokes a family (idempotent). */
    void revokeFamily(String familyId, Instant now);

    /** Revokes every family started from a code (the code was replayed); returns their vault grant ids. */
    List<String> revokeFamiliesOfCode(String codeHash, Instant now);

    /**
     * Forgets the encrypted successor pairs of tokens rotated before {@code rotatedBefore} (their grace window is
     * over, so no retry may have them any more); returns how many were cleared.
     */
    int clearSuccessors(Instant rotatedBefore);

    /**
     * Deletes up to {@code batch} ended refresh families (absolute lifetime over, revoked, or every token idle
     * past its lifetime) with their refresh tokens and the vault rows behind them, idle-expired refresh tokens,
     * and vault rows that no family holds whose time is over (unredeemed logins, expired machine tokens), in one
     * transaction. Every row is found through an index. A presented token whose row is gone is refused as
     * unknown, as it was refused as expired or revoked before.
     */
    Purged purgeEnded(Instant now, int batch);

    /** What one {@link #purgeEnded} batch deleted. */
    record Purged(int families, int tokens, int vaultRows) {
        public int total() {
            return families + tokens + vaultRows;
        }
    }

    /** Revokes every family of a client (it was deleted); returns their vault grant ids. */
    List<String> revokeFamiliesOfClient(String clientId, Instant now);
}
