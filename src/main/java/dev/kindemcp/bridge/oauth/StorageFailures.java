package dev.kindemcp.bridge.oauth;

/**
 * Tells a failure of the database (unreachable, a lost connection, a rolled-back transaction) from other failures,
 * so that it becomes a 503 with Retry-After, or a tool error that says to retry, and never a 500 (issue 14.3).
 */
public final class StorageFailures {

    /** Seconds a client should wait before retrying a request that met a database failure. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private StorageFailures() {
    }

    /** Whether the failure came from the database, anywhere in its causes. */
    public static boolean isStorageFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException || t instanceof jakarta.persistence.PersistenceException
                    || t instanceof jakarta.transaction.RollbackException
                    || t instanceof jakarta.transaction.TransactionalException) {
                return true;
            }
        }
        return false;
    }
}
