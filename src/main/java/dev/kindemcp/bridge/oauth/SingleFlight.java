package dev.kindemcp.bridge.oauth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * One run of a piece of work per key at a time in this JVM: callers that arrive while it runs wait and share
 * its outcome, result or exception (used for CIMD fetches and Kinde refreshes).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2 (one refresh at a time)</a>
 */
public final class SingleFlight<T> {

    private final ConcurrentMap<String, CompletableFuture<T>> running = new ConcurrentHashMap<>();

    public T run(String key, Supplier<T> work) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> other = running.putIfAbsent(key, mine);
        if (other != null) {
            return await(other);
        }
        try {
            T result = work.get();
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }

    private static <T> T await(CompletableFuture<T> other) {
        try {
            return other.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }
}
