package dev.kindemcp.bridge.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        // the family holds the vault row from now on: it goes when the family ends (purgeEnded)
        em.createQuery("UPDATE KindeGrantEntity g SET g.purgeAfter = NULL WHERE g.id = :id")
                .setParameter("id", family.grantId()).executeUpdate();
    }

    @Override
    @Transactional // not SUPPORTS: a read outside a transaction is retried for 10 s when the database is away (persistence.xml)
    public Optional<RefreshFamily> findFamily(String familyId) {
        return Optional.ofNullable(em.find(RefreshFamilyEntity.class, familyId)).map(RefreshFamilyEntity::toRecord);
    }

    @Override
    @Transactional // not SUPPORTS: a read outside a transaction is retried for 10 s when the database is away (persistence.xml)
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
    public Purged purgeEnded(Instant now, int batch) {
        long t = now.toEpochMilli();
        // tokens idle past their lifetime are refused whether rotated or not (RefreshTokens checks expiry first)
        List<Object[]> idle = em.createQuery("SELECT r.tokenHash, r.familyId FROM RefreshTokenEntity r"
                + " WHERE r.idleExpiresAt < :t", Object[].class).setParameter("t", t).setMaxResults(batch).getResultList();
        int tokens = 0;
        Map<String, String> ended = new LinkedHashMap<>();
        if (!idle.isEmpty()) {
            tokens += em.createQuery("DELETE FROM RefreshTokenEntity r WHERE r.tokenHash IN :hashes")
                    .setParameter("hashes", idle.stream().map(row -> (String) row[0]).toList()).executeUpdate();
            // a family whose every token was idle-expired has ended
            List<String> touched = idle.stream().map(row -> (String) row[1]).distinct().toList();
            em.createQuery("SELECT f.id, f.grantId FROM RefreshFamilyEntity f WHERE f.id IN :ids AND NOT EXISTS"
                            + " (SELECT r.tokenHash FROM RefreshTokenEntity r WHERE r.familyId = f.id)", Object[].class)
                    .setParameter("ids", touched).getResultList()
                    .forEach(row -> ended.put((String) row[0], (String) row[1]));
        }
        em.createQuery("SELECT f.id, f.grantId FROM RefreshFamilyEntity f WHERE f.absoluteExpiresAt < :t"
                        + " OR f.revokedAt < :t", Object[].class)
                .setParameter("t", t).setMaxResults(batch).getResultList()
                .forEach(row -> ended.put((String) row[0], (String) row[1]));
        int families = 0;
        int vaultRows = 0;
        if (!ended.isEmpty()) {
            List<String> ids = List.copyOf(ended.keySet());
            tokens += em.createQuery("DELETE FROM RefreshTokenEntity r WHERE r.familyId IN :ids")
                    .setParameter("ids", ids).executeUpdate();
            families = em.createQuery("DELETE FROM RefreshFamilyEntity f WHERE f.id IN :ids")
                    .setParameter("ids", ids).executeUpdate();
            // a revoked family's row went when it was revoked; an expired one's goes now, unless another holds it
            vaultRows += em.createQuery("DELETE FROM KindeGrantEntity g WHERE g.id IN :grants AND NOT EXISTS"
                            + " (SELECT f.id FROM RefreshFamilyEntity f WHERE f.grantId = g.id)")
                    .setParameter("grants", List.copyOf(new java.util.HashSet<>(ended.values()))).executeUpdate();
        }
        List<String> unclaimed = em.createQuery("SELECT g.id FROM KindeGrantEntity g WHERE g.purgeAfter < :t",
                String.class).setParameter("t", t).setMaxResults(batch).getResultList();
        if (!unclaimed.isEmpty()) {
            vaultRows += em.createQuery("DELETE FROM KindeGrantEntity g WHERE g.id IN :ids AND NOT EXISTS"
                            + " (SELECT f.id FROM RefreshFamilyEntity f WHERE f.grantId = g.id) AND NOT EXISTS"
                            + " (SELECT c.codeHash FROM AuthorizationCodeEntity c WHERE c.grantId = g.id"
                            + " AND c.expiresAt >= :t)")
                    .setParameter("ids", unclaimed).setParameter("t", t).executeUpdate();
        }
        return new Purged(families, tokens, vaultRows);
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
