package dev.kindemcp.bridge.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An authorization request in progress, as stored: what the client asked for, which browser asked, and,
 * after consent, the state of the Kinde leg. Secrets are hashes or ciphertext.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1">RFC 6749 §4.1.1 Authorization Request</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#confused-deputy-problem">MCP 2025-11-25 Authorization: "Confused Deputy Problem"</a>
 */
public record PendingAuthorization(String id, String browserHash, Optional<String> csrfHash, String clientId,
        String redirectUri, Optional<String> clientState, String codeChallenge, String scope, String resource,
        String passthroughJson, Optional<String> upstreamStateHash, Optional<String> flowCookieHash,
        Optional<String> upstreamNonce, Optional<String> upstreamVerifierEncrypted, Status status, Instant createdAt,
        Instant expiresAt) {

    /** Where the request is. */
    public enum Status {
        /** Waiting for the user's decision on the consent page. */
        CONSENT,
        /** Approved; the browser is at Kinde. */
        UPSTREAM,
        /** The callback has been taken; the request is spent. */
        DONE
    }

    public PendingAuthorization {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(browserHash, "browserHash must not be null");
        Objects.requireNonNull(csrfHash, "csrfHash must not be null");
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(redirectUri, "redirectUri must not be null");
        Objects.requireNonNull(clientState, "clientState must not be null");
        Objects.requireNonNull(codeChallenge, "codeChallenge must not be null");
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(resource, "resource must not be null");
        Objects.requireNonNull(passthroughJson, "passthroughJson must not be null");
        Objects.requireNonNull(upstreamStateHash, "upstreamStateHash must not be null");
        Objects.requireNonNull(flowCookieHash, "flowCookieHash must not be null");
        Objects.requireNonNull(upstreamNonce, "upstreamNonce must not be null");
        Objects.requireNonNull(upstreamVerifierEncrypted, "upstreamVerifierEncrypted must not be null");
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(createdAt, "createdAt must not be null");
        Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    }

    @Override
    public String toString() {
        return "PendingAuthorization[id=" + id + ", clientId=" + clientId + ", status=" + status + "]";
    }
}
