package dev.kindemcp.bridge.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link KindeGrantStore} on Jakarta Persistence.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.9.2">RFC 9700 §4.9.2 (tokens at rest)</a>
 */
@ApplicationScoped
public class JpaKindeGrantStore implements KindeGrantStore {

    @PersistenceContext(unitName = "bridge")
    EntityManager em;

    /** How long a login's vault row waits for a refresh family (its code lives minutes, not 15). */
    static final long UNCLAIMED_LOGIN_MILLIS = 15 * 60_000L;

    /** How long a machine's vault row outlives its Kinde token (clock skew between instances). */
    static final long MACHINE_GRACE_MILLIS = 60_000L;

    @Override
    @Transactional
    public void save(StoredGrant grant) {
        KindeGrantEntity e = em.find(KindeGrantEntity.class, grant.id());
        boolean created = e == null;
        if (created) {
            e = new KindeGrantEntity();
            e.id = grant.id();
        }
        e.kindeSubject = grant.kindeSubject().orElse(null);
        e.orgCode = grant.orgCode().orElse(null);
        e.tokensEncrypted = grant.tokensEncrypted();
        e.accessExpiresAt = grant.accessExpiresAt().toEpochMilli();
        e.createdAt = grant.createdAt().toEpochMilli();
        e.updatedAt = grant.updatedAt().toEpochMilli();
        if (created) {
            // a login's row waits for its code's redemption (TokenStore.saveFamily takes it over); a machine's
            // row is useless once its Kinde token has expired (it has no refresh token)
            e.purgeAfter = grant.kindeSubject().isPresent() ? e.createdAt + UNCLAIMED_LOGIN_MILLIS
                    : e.accessExpiresAt + MACHINE_GRACE_MILLIS;
            em.persist(e);
        }
    }

    @Override
    @Transactional // not SUPPORTS: a read outside a transaction is retried for 10 s when the database is away (persistence.xml)
    public Optional<StoredGrant> find(String id) {
        return Optional.ofNullable(em.find(KindeGrantEntity.class, id)).map(JpaKindeGrantStore::record);
    }

    @Override
    @Transactional(dontRollbackOn = RuntimeException.class)
    public <T> T underLock(String id, java.util.function.Function<Optional<StoredGrant>, T> work) {
        KindeGrantEntity locked = em.find(KindeGrantEntity.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        return work.apply(Optional.ofNullable(locked).map(JpaKindeGrantStore::record));
    }

    private static StoredGrant record(KindeGrantEntity e) {
        return new StoredGrant(e.id, Optional.ofNullable(e.kindeSubject), Optional.ofNullable(e.orgCode),
                e.tokensEncrypted, Instant.ofEpochMilli(e.accessExpiresAt), Instant.ofEpochMilli(e.createdAt),
                Instant.ofEpochMilli(e.updatedAt));
    }

    @Override
    @Transactional
    public boolean updateTokens(String id, String tokensEncrypted, Instant accessExpiresAt, Instant updatedAt) {
        return em.createQuery("UPDATE KindeGrantEntity g SET g.tokensEncrypted = :tokens,"
                + " g.accessExpiresAt = :expires, g.updatedAt = :updated WHERE g.id = :id")
                .setParameter("tokens", tokensEncrypted).setParameter("expires", accessExpiresAt.toEpochMilli())
                .setParameter("updated", updatedAt.toEpochMilli()).setParameter("id", id).executeUpdate() == 1;
    }

    @Override
    @Transactional
    public boolean revokeByGrantId(String id) {
        return em.createQuery("DELETE FROM KindeGrantEntity g WHERE g.id = :id").setParameter("id", id)
                .executeUpdate() > 0;
    }
}
