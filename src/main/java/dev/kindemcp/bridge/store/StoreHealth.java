package dev.kindemcp.bridge.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/** Whether the database answers, for the readiness check: one trivial statement in its own transaction. */
@ApplicationScoped
public class StoreHealth {

    @PersistenceContext(unitName = "bridge")
    EntityManager em;

    /**
     * Runs a trivial query.
     *
     * @throws RuntimeException when the database cannot be reached (after the pool's acquire timeout at most)
     */
    @Transactional
    public void ping() {
        em.createNativeQuery("SELECT 1").getSingleResult();
    }
}
