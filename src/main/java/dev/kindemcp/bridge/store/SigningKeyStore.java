package dev.kindemcp.bridge.store;

import java.util.List;
import java.util.function.Function;

/**
 * Persistence of the bridge's signing keys.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7517#section-5">RFC 7517 §5 JWK Set Format</a>
 */
public interface SigningKeyStore {

    /** All stored keys, oldest activation first. */
    List<StoredSigningKey> findAll();

    /**
     * Runs {@code change} on the current keys while holding the cluster-wide key lock, then saves the keys it
     * adds and deletes the kids it removes, all in one transaction; returns the keys as they are afterwards.
     */
    List<StoredSigningKey> modify(Function<List<StoredSigningKey>, KeyChanges> change);

    /** What one locked modification adds, removes, and moves to a new activation time. */
    record KeyChanges(List<StoredSigningKey> add, List<String> removeKids,
            java.util.Map<String, java.time.Instant> activate) {
        public KeyChanges {
            add = List.copyOf(add);
            removeKids = List.copyOf(removeKids);
            activate = java.util.Map.copyOf(activate);
        }

        public KeyChanges(List<StoredSigningKey> add, List<String> removeKids) {
            this(add, removeKids, java.util.Map.of());
        }

        public boolean isEmpty() {
            return add.isEmpty() && removeKids.isEmpty() && activate.isEmpty();
        }
    }
}
