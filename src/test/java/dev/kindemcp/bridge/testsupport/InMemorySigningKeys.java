package dev.kindemcp.bridge.testsupport;

import dev.kindemcp.bridge.store.SigningKeyStore;
import dev.kindemcp.bridge.store.StoredSigningKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link SigningKeyStore} in memory for unit tests and microbenchmarks: it keeps rows as the JPA store would
 * (ordered by activation, activations applied) and counts the locked modifications.
 */
public final class InMemorySigningKeys implements SigningKeyStore {

    public final List<StoredSigningKey> rows = new ArrayList<>();
    public int modifications;

    @Override
    public synchronized List<StoredSigningKey> findAll() {
        return rows.stream().sorted(Comparator.comparing(StoredSigningKey::activatesAt)).toList();
    }

    @Override
    public synchronized List<StoredSigningKey> modify(Function<List<StoredSigningKey>, KeyChanges> change) {
        modifications++;
        KeyChanges c = change.apply(findAll());
        rows.removeIf(r -> c.removeKids().contains(r.kid()));
        rows.addAll(c.add());
        rows.replaceAll(r -> c.activate().containsKey(r.kid()) ? new StoredSigningKey(r.kid(), r.algorithm(),
                r.publicJwk(), r.privateJwkEncrypted(), r.createdAt(), c.activate().get(r.kid())) : r);
        return findAll();
    }
}
