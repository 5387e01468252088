package dev.kindemcp.bridge.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link AccountStore} by native SQL on {@code account_session}, {@code refresh_family} and {@code consent}. */
@ApplicationScoped
public class JpaAccountStore implements AccountStore {

    @PersistenceContext(unitName = "bridge")
    EntityManager em;

    @Override
    @Transactional
    public void createSession(String idHash, AccountSession session, Instant now) {
        em.createNativeQuery("INSERT INTO account_session (id_hash, kinde_user_id, org_code, operator, created_at,"
                        + " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, idHash).setParameter(2, session.kindeUserId())
                .setParameter(3, session.orgCode().orElse(null)).setParameter(4, session.operator())
                .setParameter(5, now.toEpochMilli()).setParameter(6, session.expiresAt().toEpochMilli())
                .executeUpdate();
    }

    @Override
    @Transactional // not SUPPORTS: a read outside a transaction is retried for 10 s when the database is away (persistence.xml)
    public Optional<AccountSession> findSession(String idHash, Instant now) {
        List<?> rows = em.createNativeQuery("SELECT kinde_user_id, org_code, operator, expires_at FROM account_session"
                        + " WHERE id_hash = ?1 AND expires_at > ?2")
                .setParameter(1, idHash).setParameter(2, now.toEpochMilli()).getResultList();
        return rows.stream().findFirst().map(row -> {
            Object[] v = (Object[]) row;
            return new AccountSession((String) v[0], Optional.ofNullable((String) v[1]), Boolean.TRUE.equals(v[2]),
                    Instant.ofEpochMilli(((Number) v[3]).longValue()));
        });
    }

    @Override
    @Transactional
    public void deleteSession(String idHash) {
        em.createNativeQuery("DELETE FROM account_session WHERE id_hash = ?1").setParameter(1, idHash).executeUpdate();
    }

    @Override
    @Transactional
    public int purgeSessions(Instant now) {
        return em.createNativeQuery("DELETE FROM account_session WHERE expires_at <= ?1")
                .setParameter(1, now.toEpochMilli()).executeUpdate();
    }

    @Override
    @Transactional
    public List<LiveGrant> liveGrants(Optional<String> user, Optional<String> client, Instant now, int limit) {
        StringBuilder sql = new StringBuilder("SELECT f.id, f.client_id, f.kinde_subject, f.identity_json, f.scope,"
                + " f.created_at, (SELECT MAX(t.created_at) FROM refresh_token t WHERE t.family_id = f.id)"
                + " FROM refresh_family f WHERE f.revoked_at IS NULL AND f.absolute_expires_at > ?1"
                + " AND f.kinde_subject NOT LIKE 'client:%' AND f.kinde_subject NOT LIKE 'kinde-m2m:%'");
        user.ifPresent(u -> sql.append(" AND f.kinde_subject = ?2"));
        client.ifPresent(c -> sql.append(" AND f.client_id = ?3"));
        sql.append(" ORDER BY f.created_at DESC");
        Query query = em.createNativeQuery(sql.toString()).setParameter(1, now.toEpochMilli());
        user.ifPresent(u -> query.setParameter(2, u));
        client.ifPresent(c -> query.setParameter(3, c));
        List<LiveGrant> grants = new ArrayList<>();
        for (Object row : query.setMaxResults(limit).getResultList()) {
            Object[] v = (Object[]) row;
            Instant created = Instant.ofEpochMilli(((Number) v[5]).longValue());
            grants.add(new LiveGrant((String) v[0], (String) v[1], (String) v[2], (String) v[3], (String) v[4],
                    created, v[6] == null ? created : Instant.ofEpochMilli(((Number) v[6]).longValue())));
        }
        return grants;
    }

    @Override
    @Transactional
    public List<Approval> approvals(Optional<String> user, Optional<String> client, int limit) {
        StringBuilder sql = new StringBuilder("SELECT client_id, kinde_user_id, scope, created_at, updated_at"
                + " FROM consent WHERE kinde_user_id IS NOT NULL");
        user.ifPresent(u -> sql.append(" AND kinde_user_id = ?1"));
        client.ifPresent(c -> sql.append(" AND client_id = ?2"));
        sql.append(" ORDER BY updated_at DESC");
        Query query = em.createNativeQuery(sql.toString());
        user.ifPresent(u -> query.setParameter(1, u));
        client.ifPresent(c -> query.setParameter(2, c));
        List<Approval> approvals = new ArrayList<>();
        for (Object row : query.setMaxResults(limit).getResultList()) {
            Object[] v = (Object[]) row;
            approvals.add(new Approval((String) v[0], (String) v[1], (String) v[2],
                    Instant.ofEpochMilli(((Number) v[3]).longValue()), Instant.ofEpochMilli(((Number) v[4]).longValue())));
        }
        return approvals;
    }

    @Override
    @Transactional
    @SuppressWarnings("unchecked")
    public List<String> revokeGrants(String user, String client, Instant now) {
        List<String> grants = em.createNativeQuery("SELECT grant_id FROM refresh_family WHERE kinde_subject = ?1"
                        + " AND client_id = ?2 AND revoked_at IS NULL")
                .setParameter(1, user).setParameter(2, client).getResultList();
        em.createNativeQuery("UPDATE refresh_family SET revoked_at = ?1 WHERE kinde_subject = ?2 AND client_id = ?3"
                        + " AND revoked_at IS NULL")
                .setParameter(1, now.toEpochMilli()).setParameter(2, user).setParameter(3, client).executeUpdate();
        return grants;
    }

    @Override
    @Transactional
    public int forgetApprovals(String user, String client) {
        return em.createNativeQuery("DELETE FROM consent WHERE kinde_user_id = ?1 AND client_id = ?2")
                .setParameter(1, user).setParameter(2, client).executeUpdate();
    }
}
