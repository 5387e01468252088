package dev.kindemcp.bridge.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link ClientStore} on Jakarta Persistence.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3">RFC 7591 §3 Client Registration Endpoint</a>
 */
@ApplicationScoped
public class JpaClientStore implements ClientStore {

    @PersistenceContext(unitName = "bridge")
    EntityManager em;

    @Override
    @Transactional
    public void save(StoredClient client) {
        ClientEntity entity = new ClientEntity();
        entity.copyFrom(client);
        em.persist(entity);
        em.flush();
    }

    @Override
    @Transactional // not SUPPORTS: a read outside a transaction is retried for 10 s when the database is away (persistence.xml)
    public Optional<StoredClient> find(String clientId) {
        return Optional.ofNullable(em.find(ClientEntity.class, clientId)).map(ClientEntity::toRecord);
    }

    @Override
    @Transactional
    public boolean replace(StoredClient client) {
        ClientEntity entity = em.find(ClientEntity.class, client.clientId());
        if (entity == null) {
            return false;
        }
        entity.copyFrom(client);
        em.flush();
        return true;
    }

    @Override
    @Transactional
    public void touch(String clientId, Instant now, Instant expiresAt) {
        em.createQuery("UPDATE ClientEntity c SET c.lastUsedAt = :now, c.expiresAt = :exp"
                        + " WHERE c.clientId = :id AND c.kind = 'DCR'")
                .setParameter("now", now.toEpochMilli()).setParameter("exp", expiresAt.toEpochMilli())
                .setParameter("id", clientId).executeUpdate();
    }

    @Override
    @Transactional
    public boolean delete(String clientId) {
        return em.createQuery("DELETE FROM ClientEntity c WHERE c.clientId = :id")
                .setParameter("id", clientId).executeUpdate() == 1;
    }

    @Override
    @Transactional
    public int purgeExpired(Instant now) {
        // a client whose refresh families are alive is in use, whenever it last came by (issue 12.6)
        return em.createQuery("DELETE FROM ClientEntity c WHERE c.expiresAt IS NOT NULL AND c.expiresAt < :now"
                        + " AND NOT EXISTS (SELECT f.id FROM RefreshFamilyEntity f WHERE f.clientId = c.clientId"
                        + " AND f.revokedAt IS NULL AND f.absoluteExpiresAt > :now)")
                .setParameter("now", now.toEpochMilli()).executeUpdate();
    }
}
