package dev.kindemcp.bridge.tools;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;

/** The notes of the sample tool API, per organisation, newest first. */
@ApplicationScoped
public class NoteStore {

    @PersistenceContext(unitName = "bridge")
    EntityManager em;

    @Transactional
    public void save(Note note) {
        NoteEntity e = new NoteEntity();
        e.id = note.id();
        e.orgCode = note.orgCode();
        e.author = note.author();
        e.text = note.text();
        e.createdAt = note.createdAt().toEpochMilli();
        em.persist(e);
    }

    @Transactional // not SUPPORTS: a read outside a transaction is retried for 10 s when the database is away (persistence.xml)
    public List<Note> findByOrganisation(String orgCode, int limit) {
        return em.createQuery("SELECT n FROM NoteEntity n WHERE n.orgCode = :org ORDER BY n.createdAt DESC, n.id",
                NoteEntity.class).setParameter("org", orgCode).setMaxResults(limit).getResultList().stream()
                .map(e -> new Note(e.id, e.orgCode, e.author, e.text, java.time.Instant.ofEpochMilli(e.createdAt)))
                .toList();
    }
}
