package dev.kindemcp.bridge.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link TokenStore} on Jakarta Persistence; codes and rotations are claimed by conditional UPDATE
 * statements, atomic under concurrency on H2 and PostgreSQL.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2 Recommendations</a>
 */
@ApplicationScoped
public class JpaTokenStore implements TokenStore {

    @PersistenceContext(unitName = "bridge")
    EntityManager em;

    @Override
    @Transactional
    public boolean consumeCode(String codeHash, Instant now) {
        return em.createQuery("UPDATE AuthorizationCodeEntity c SET c.consumedAt = :now WHERE c.codeHash = :h"
                        + " AND c.consumedAt IS NULL AND c.expiresAt > :now")
                .setParameter("now", now.toEpochMilli()).setParameter("h", codeHash).executeUpdate() == 1;
    }

    @Override
    @Transactional
    public void saveFamily(RefreshFamily family, RefreshTokenRecord first) {
        em.persist(RefreshFamilyEntity.of(family));
        em.persist(RefreshTokenEntity.of(first));
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<RefreshFamily> findFamily(String familyId) {
        return Optional.ofNullable(em.find(RefreshFamilyEntity.class, familyId)).map(RefreshFamilyEntity::toRecord);
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<RefreshTokenRecord> findToken(String tokenHash) {
        return Optional.ofNullable(em.find(RefreshTokenEntity.class, tokenHash)).map(RefreshTokenEntity::toRecord);
    }

    @Override
    @Transactional
    public boolean rotate(String tokenHash, Instant now, String successorEncrypted, RefreshTokenRecord successor) {
        int claimed = em.createQuery("UPDATE RefreshTokenEntity t SET t.rotatedAt = :now, t.successorEncrypted = :s"
                        + " WHERE t.tokenHash = :h AND t.rotatedAt IS NULL")
                .setParameter("now", now.toEpochMilli()).setParameter("s", successorEncrypted)
                .setParameter("h", tokenHash).executeUpdate();
        if (claimed != 1) {
            return false;
        }
        em.persist(RefreshTokenEntity.of(successor));
        return true;
    }

    @Override
    @Transactional
    public void revokeFamily(String familyId, Instant now) {
        em.createQuery("UPDATE RefreshFamilyEntity f SET f.revokedAt = :now WHERE f.id = :id AND f.revokedAt IS NULL")
                .setParameter("now", now.toEpochMilli()).setParameter("id", familyId).executeUpdate();
    }

    @Override
    @Transactional
    public List<String> revokeFamiliesOfCode(String codeHash, Instant now) {
        List<String> grants = em.createQuery("SELECT f.grantId FROM RefreshFamilyEntity f WHERE f.codeHash = :h"
                + " AND f.revokedAt IS NULL", String.class).setParameter("h", codeHash).getResultList();
        em.createQuery("UPDATE RefreshFamilyEntity f SET f.revokedAt = :now WHERE f.codeHash = :h"
                        + " AND f.revokedAt IS NULL")
                .setParameter("now", now.toEpochMilli()).setParameter("h", codeHash).executeUpdate();
        return List.copyOf(grants);
    }

    @Override
    @Transactional
    public List<String> revokeFamiliesOfClient(String clientId, Instant now) {
        List<String> grants = em.createQuery("SELECT f.grantId FROM RefreshFamilyEntity f WHERE f.clientId = :c"
                + " AND f.revokedAt IS NULL", String.class).setParameter("c", clientId).getResultList();
        em.createQuery("UPDATE RefreshFamilyEntity f SET f.revokedAt = :now WHERE f.clientId = :c"
                        + " AND f.revokedAt IS NULL")
                .setParameter("now", now.toEpochMilli()).setParameter("c", clientId).executeUpdate();
        return List.copyOf(grants);
    }

    @Override
    @Transactional
    public int clearSuccessors(Instant rotatedBefore) {
        return em.createQuery("UPDATE RefreshTokenEntity t SET t.successorEncrypted = NULL"
                        + " WHERE t.rotatedAt < :before AND t.successorEncrypted IS NOT NULL")
                .setParameter("before", rotatedBefore.toEpochMilli()).executeUpdate();
    }
}
