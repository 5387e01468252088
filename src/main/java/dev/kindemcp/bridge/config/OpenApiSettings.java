package dev.kindemcp.bridge.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The OpenAPI-declared tools: which documents to read, which operations become tools besides those marked
 * {@code x-mcp-tool}, where their requests may go, how often the documents are read again, and the bridge
 * scopes a read and a write operation need unless the operation names one.
 *
 * <p>Related specifications:
 * @see <a href="https://spec.openapis.org/oas/v3.1.0#specification-extensions">OpenAPI 3.1.0 §4.9 Specification Extensions</a>
 *
 * @param documents       the documents: {@code http(s)} URLs or {@code file:} URLs (a path given in
 *                        configuration is already resolved against the tool-API origin)
 * @param operations      operationIds exposed as tools although their operation carries no {@code x-mcp-tool}
 * @param origins         origins a declared tool may send requests to, besides the tool-API origin
 * @param refreshInterval how often the documents are read again; zero: only at start and on an admin reload
 * @param readScope       the scope a GET or HEAD operation needs unless it names one
 * @param writeScope      the scope any other operation needs unless it names one
 */
public record OpenApiSettings(List<URI> documents, Set<String> operations, List<URI> origins,
        Duration refreshInterval, String readScope, String writeScope) {

    public OpenApiSettings {
        documents = List.copyOf(documents);
        operations = Set.copyOf(operations);
        origins = List.copyOf(origins);
        Objects.requireNonNull(refreshInterval, "refreshInterval must not be null");
        Objects.requireNonNull(readScope, "readScope must not be null");
        Objects.requireNonNull(writeScope, "writeScope must not be null");
    }

    /** Whether any document is configured (the feature is off otherwise). */
    public boolean enabled() {
        return !documents.isEmpty();
    }
}
