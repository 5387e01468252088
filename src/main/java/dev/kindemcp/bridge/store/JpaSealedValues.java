package dev.kindemcp.bridge.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SealedValues} by native SQL over the four sealed columns (the table and column names come from
 * {@link SealedValues.Column}, never from input). The shared cache is off (persistence.xml), so no entity
 * outlives a rewrite.
 */
@ApplicationScoped
public class JpaSealedValues implements SealedValues {

    @PersistenceContext(unitName = "bridge")
    EntityManager em;

    @Override
    @Transactional
    public List<Sealed> page(Column column, String after, int limit) {
        List<?> rows = em.createNativeQuery("SELECT " + column.key + ", " + column.column + " FROM " + column.table
                        + " WHERE " + column.column + " IS NOT NULL AND " + column.key + " > ?1 ORDER BY " + column.key)
                .setParameter(1, after).setMaxResults(limit).getResultList();
        List<Sealed> page = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] values = (Object[]) row;
            page.add(new Sealed((String) values[0], (String) values[1]));
        }
        return page;
    }

    @Override
    @Transactional
    public int replace(Column column, List<Change> changes) {
        int changed = 0;
        for (Change change : changes) {
            changed += em.createNativeQuery("UPDATE " + column.table + " SET " + column.column + " = ?1 WHERE "
                            + column.key + " = ?2 AND " + column.column + " = ?3")
                    .setParameter(1, change.after()).setParameter(2, change.key()).setParameter(3, change.before())
                    .executeUpdate();
        }
        return changed;
    }
}
