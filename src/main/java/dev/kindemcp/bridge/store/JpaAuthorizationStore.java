package dev.kindemcp.bridge.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link AuthorizationStore} on Jakarta Persistence; the consume operations are single conditional UPDATE
 * statements, atomic on every database.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-10.12">RFC 6749 §10.12 Cross-Site Request Forgery</a>
 */
@ApplicationScoped
public class JpaAuthorizationStore implements AuthorizationStore {

    @PersistenceContext(unitName = "bridge")
    EntityManager em;

    @Override
    @Transactional
    public void saveRequest(PendingAuthorization request) {
        em.persist(AuthorizationRequestEntity.of(request));
    }

    @Override
    @Transactional // not SUPPORTS: a read outside a transaction is retried for 10 s when the database is away (persistence.xml)
    public Optional<PendingAuthorization> findRequest(String id) {
        return Optional.ofNullable(em.find(AuthorizationRequestEntity.class, id))
                .map(AuthorizationRequestEntity::toRecord);
    }

    @Override
    @Transactional // not SUPPORTS: a read outside a transaction is retried for 10 s when the database is away (persistence.xml)
    public Optional<PendingAuthorization> findByUpstreamState(String upstreamStateHash) {
        return em.createQuery("SELECT r FROM AuthorizationRequestEntity r WHERE r.upstreamStateHash = :h",
                AuthorizationRequestEntity.class).setParameter("h", upstreamStateHash).getResultStream()
                .findFirst().map(AuthorizationRequestEntity::toRecord);
    }

    @Override
    @Transactional
    public boolean consumeCsrf(String id, String csrfHash, String browserHash, Instant now) {
        return em.createQuery("UPDATE AuthorizationRequestEntity r SET r.csrfHash = NULL WHERE r.id = :id"
                        + " AND r.csrfHash = :csrf AND r.browserHash = :browser AND r.status = 'CONSENT'"
                        + " AND r.expiresAt > :now")
                .setParameter("id", id).setParameter("csrf", csrfHash).setParameter("browser", browserHash)
                .setParameter("now", now.toEpochMilli()).executeUpdate() == 1;
    }

    @Override
    @Transactional
    public void startUpstream(String id, String upstreamStateHash, String flowCookieHash, String nonce,
            String verifierEncrypted, Instant expiresAt) {
        em.createQuery("UPDATE AuthorizationRequestEntity r SET r.upstreamStateHash = :s, r.flowCookieHash = :f,"
                        + " r.upstreamNonce = :n, r.upstreamVerifierEncrypted = :v, r.status = 'UPSTREAM',"
                        + " r.expiresAt = :e WHERE r.id = :id")
                .setParameter("s", upstreamStateHash).setParameter("f", flowCookieHash).setParameter("n", nonce)
                .setParameter("v", verifierEncrypted).setParameter("e", expiresAt.toEpochMilli())
                .setParameter("id", id).executeUpdate();
    }

    @Override
    @Transactional
    public boolean consumeUpstreamState(String id, Instant now) {
        return em.createQuery("UPDATE AuthorizationRequestEntity r SET r.status = 'DONE' WHERE r.id = :id"
                        + " AND r.status = 'UPSTREAM' AND r.expiresAt > :now")
                .setParameter("id", id).setParameter("now", now.toEpochMilli()).executeUpdate() == 1;
    }

    @Override
    @Transactional
    public void deleteRequest(String id) {
        em.createQuery("DELETE FROM AuthorizationRequestEntity r WHERE r.id = :id").setParameter("id", id)
                .executeUpdate();
    }

    @Override
    @Transactional // not SUPPORTS: a read outside a transaction is retried for 10 s when the database is away (persistence.xml)
    public Optional<String> findConsent(String browserHash, String clientId) {
        return Optional.ofNullable(em.find(ConsentEntity.class, new ConsentEntity.Key(browserHash, clientId)))
                .map(c -> c.scope);
    }

    @Override
    @Transactional
    public void saveConsent(String browserHash, String clientId, String scope, Instant now) {
        // JPQL, not field writes on the found entity: those were never written back (woven change tracking
        // ignores direct field access), so a wider approval was lost and the page asked again
        int updated = em.createQuery("UPDATE ConsentEntity c SET c.scope = :s, c.updatedAt = :t"
                        + " WHERE c.browserHash = :b AND c.clientId = :c")
                .setParameter("s", scope).setParameter("t", now.toEpochMilli()).setParameter("b", browserHash)
                .setParameter("c", clientId).executeUpdate();
        if (updated > 0) {
            return;
        }
        ConsentEntity c = new ConsentEntity();
        c.browserHash = browserHash;
        c.clientId = clientId;
        c.scope = scope;
        c.createdAt = now.toEpochMilli();
        c.updatedAt = c.createdAt;
        em.persist(c);
    }

    @Override
    @Transactional
    public void attachConsentUser(String browserHash, String clientId, String kindeUserId) {
        // JPQL for the same reason as saveConsent: a field write was lost, and no approval named its user
        em.createQuery("UPDATE ConsentEntity c SET c.kindeUserId = :u WHERE c.browserHash = :b AND c.clientId = :c")
                .setParameter("u", kindeUserId).setParameter("b", browserHash).setParameter("c", clientId)
                .executeUpdate();
    }

    @Override
    @Transactional
    public List<String> deleteCodesOfClient(String clientId) {
        List<String> grants = em.createQuery("SELECT c.grantId FROM AuthorizationCodeEntity c WHERE c.clientId = :c"
                + " AND c.consumedAt IS NULL", String.class).setParameter("c", clientId).getResultList();
        em.createQuery("DELETE FROM AuthorizationCodeEntity c WHERE c.clientId = :c").setParameter("c", clientId)
                .executeUpdate();
        return List.copyOf(grants);
    }

    @Override
    @Transactional
    public int deleteConsents(String clientId) {
        return em.createQuery("DELETE FROM ConsentEntity c WHERE c.clientId = :id").setParameter("id", clientId)
                .executeUpdate();
    }

    @Override
    @Transactional
    public void saveCode(IssuedCode code) {
        em.persist(AuthorizationCodeEntity.of(code));
    }

    @Override
    @Transactional // not SUPPORTS: a read outside a transaction is retried for 10 s when the database is away (persistence.xml)
    public Optional<IssuedCode> findCode(String codeHash) {
        return Optional.ofNullable(em.find(AuthorizationCodeEntity.class, codeHash))
                .map(AuthorizationCodeEntity::toRecord);
    }

    @Override
    @Transactional
    public int purgeExpired(Instant now) {
        long t = now.toEpochMilli();
        return em.createQuery("DELETE FROM AuthorizationRequestEntity r WHERE r.expiresAt < :t")
                .setParameter("t", t).executeUpdate()
                + em.createQuery("DELETE FROM AuthorizationCodeEntity c WHERE c.expiresAt < :t")
                        .setParameter("t", t).executeUpdate();
    }
}
