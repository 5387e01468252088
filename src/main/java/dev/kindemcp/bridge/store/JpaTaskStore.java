package dev.kindemcp.bridge.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;

/**
 * {@link TaskStore} on the {@code bridge_task} table: a claim is one conditional UPDATE, atomic on H2 and
 * PostgreSQL, so two instances that tick at once do the work once.
 */
@ApplicationScoped
public class JpaTaskStore implements TaskStore {

    @PersistenceContext(unitName = "bridge")
    EntityManager em;

    @Override
    @Transactional
    public boolean claim(String task, Instant now, Duration period) {
        long next = now.plus(period).minusSeconds(1).toEpochMilli();
        return em.createNativeQuery("UPDATE bridge_task SET due_at = ?1, claims = claims + 1 WHERE name = ?2 AND due_at <= ?3")
                .setParameter(1, next).setParameter(2, task).setParameter(3, now.toEpochMilli())
                .executeUpdate() == 1;
    }
}
