package dev.kindemcp.bridge.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.function.Function;

/**
 * {@link SigningKeyStore} on Jakarta Persistence; rotation is serialised by a pessimistic lock on a
 * {@code bridge_lock} row so that several instances never rotate at once.
 *
 * <p>Related specifications:
 * @see <a href="https://jakarta.ee/specifications/persistence/3.1/jakarta-persistence-spec-3.1#a2002">Jakarta Persistence 3.1 §3.4.4 Lock Modes</a>
 */
@ApplicationScoped
public class JpaSigningKeyStore implements SigningKeyStore {

    static final String KEY_LOCK = "signing-keys";

    @PersistenceContext(unitName = "bridge")
    EntityManager em;

    @Override
    @Transactional // not SUPPORTS: a read outside a transaction is retried for 10 s when the database is away (persistence.xml)
    public List<StoredSigningKey> findAll() {
        return em.createQuery("SELECT k FROM SigningKeyEntity k ORDER BY k.activatesAt, k.kid", SigningKeyEntity.class)
                .getResultList().stream().map(SigningKeyEntity::toRecord).toList();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<StoredSigningKey> modify(Function<List<StoredSigningKey>, KeyChanges> change) {
        LockEntity lock = em.find(LockEntity.class, KEY_LOCK, LockModeType.PESSIMISTIC_WRITE);
        if (lock == null) {
            throw new IllegalStateException("lock row '" + KEY_LOCK + "' is missing: schema not migrated");
        }
        KeyChanges changes = change.apply(findAll());
        for (String kid : changes.removeKids()) {
            SigningKeyEntity entity = em.find(SigningKeyEntity.class, kid);
            if (entity != null) {
                em.remove(entity);
            }
        }
        for (StoredSigningKey key : changes.add()) {
            em.persist(SigningKeyEntity.of(key));
        }

        em.flush();
        if (!changes.activate().isEmpty()) {
            // a statement, not a field write on the managed entity (which the woven change tracking may not see)
            changes.activate().forEach((kid, at) -> em.createQuery(
                    "UPDATE SigningKeyEntity k SET k.activatesAt = :at WHERE k.kid = :kid")
                    .setParameter("at", at.toEpochMilli()).setParameter("kid", kid).executeUpdate());
            em.clear(); // the keys read before the update are stale
        }
        return findAll();
    }
}
