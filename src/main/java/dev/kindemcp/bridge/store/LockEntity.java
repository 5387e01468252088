package dev.kindemcp.bridge.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Row of {@code bridge_lock}: locking it serialises a critical section across every bridge instance that
 * shares the database.
 *
 * <p>Related specifications:
 * @see <a href="https://jakarta.ee/specifications/persistence/3.1/jakarta-persistence-spec-3.1#a2002">Jakarta Persistence 3.1 §3.4.4 Lock Modes</a>
 */
@Entity
@Table(name = "bridge_lock")
class LockEntity {

    @Id
    @Column(name = "name")
    String name;
}
