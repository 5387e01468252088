package dev.kindemcp.bridge.store;

import java.util.List;

/**
 * The columns that hold values sealed under the master key, read and rewritten without knowing what the values
 * are: a master-key rotation moves each of them under the new key (issue 15.5).
 */
public interface SealedValues {

    /** A sealed column: its table, the table's key column and the column itself. */
    enum Column {
        SIGNING_KEYS("signing_key", "kid", "private_jwk_enc"),
        KINDE_TOKENS("kinde_grant", "id", "tokens_enc"),
        REFRESH_SUCCESSORS("refresh_token", "token_hash", "successor_enc"),
        UPSTREAM_VERIFIERS("authorization_request", "id", "upstream_verifier_enc");

        final String table;
        final String key;
        final String column;

        Column(String table, String key, String column) {
            this.table = table;
            this.key = key;
            this.column = column;
        }

        /** The name an operator sees: {@code table.column}. */
        public String label() {
            return table + "." + column;
        }
    }

    /** One sealed value and the key of its row. */
    record Sealed(String key, String value) {
    }

    /** A sealed value to replace, if the row still holds {@code before}. */
    record Change(String key, String before, String after) {
    }

    /** Up to {@code limit} non-null values of {@code column} whose row key sorts after {@code after}, in key order. */
    List<Sealed> page(Column column, String after, int limit);

    /**
     * Applies {@code changes} in one transaction; a row whose value is no longer {@code before} (written again
     * meanwhile, hence under the current key) is left alone. Answers how many rows changed.
     */
    int replace(Column column, List<Change> changes);
}
