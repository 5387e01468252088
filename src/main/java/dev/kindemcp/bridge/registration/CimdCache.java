package dev.kindemcp.bridge.registration;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Valid Client ID Metadata Documents by client_id, each fresh until its HTTP lifetime ends and kept as a
 * stand-in for failed refetches until the maximum staleness has passed; least recently used entries go first
 * when the cache is full. Only valid documents are ever put here.
 *
 * <p>Related specifications:
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-4.4">CIMD draft-00 §4.4 Metadata Caching</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5861#section-4">RFC 5861 §4 The stale-if-error Cache-Control Extension</a>
 */
final class CimdCache {

    /** A cached document: fresh before {@code freshUntil}, usable as a stale stand-in before {@code keepUntil}. */
    record Entry(CimdClient client, Instant freshUntil, Instant keepUntil) {
        Entry {
            Objects.requireNonNull(client, "client must not be null");
            Objects.requireNonNull(freshUntil, "freshUntil must not be null");
            Objects.requireNonNull(keepUntil, "keepUntil must not be null");
        }

        boolean freshAt(Instant now) {
            return now.isBefore(freshUntil);
        }
    }

    private final int maxEntries;
    private final LinkedHashMap<String, Entry> entries;

    CimdCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > CimdCache.this.maxEntries;
            }
        };
    }

    /** The entry for {@code clientId} if it is still within its staleness window at {@code now}. */
    synchronized Optional<Entry> find(String clientId, Instant now) {
        Entry entry = entries.get(clientId);
        if (entry != null && !now.isBefore(entry.keepUntil())) {
            entries.remove(clientId);
            return Optional.empty();
        }
        return Optional.ofNullable(entry);
    }

    synchronized void save(String clientId, Entry entry) {
        if (entries.size() >= maxEntries && !entries.containsKey(clientId)) {
            purgeExpired(entry.client().fetchedAt());
        }
        entries.put(clientId, entry);
    }

    synchronized void remove(String clientId) {
        entries.remove(clientId);
    }

    synchronized int size() {
        return entries.size();
    }

    private void purgeExpired(Instant now) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next().keepUntil())) {
                it.remove();
            }
        }
    }
}
