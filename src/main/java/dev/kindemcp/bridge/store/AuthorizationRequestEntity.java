package dev.kindemcp.bridge.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * Row of {@code authorization_request}; never leaves the store package.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1">RFC 6749 §4.1.1 Authorization Request</a>
 */
@Entity
@Table(name = "authorization_request")
class AuthorizationRequestEntity {

    @Id
    @Column(name = "id")
    String id;
    @Column(name = "browser_hash", nullable = false)
    String browserHash;
    @Column(name = "csrf_hash")
    String csrfHash;
    @Column(name = "client_id", nullable = false)
    String clientId;
    @Column(name = "redirect_uri", nullable = false)
    String redirectUri;
    @Column(name = "client_state")
    String clientState;
    @Column(name = "code_challenge", nullable = false)
    String codeChallenge;
    @Column(name = "scope", nullable = false)
    String scope;
    @Column(name = "resource", nullable = false)
    String resource;
    @Column(name = "passthrough_json", nullable = false)
    String passthroughJson;
    @Column(name = "upstream_state_hash")
    String upstreamStateHash;
    @Column(name = "flow_cookie_hash")
    String flowCookieHash;
    @Column(name = "upstream_nonce")
    String upstreamNonce;
    @Column(name = "upstream_verifier_enc")
    String upstreamVerifierEncrypted;
    @Column(name = "status", nullable = false)
    String status;
    @Column(name = "created_at", nullable = false)
    long createdAt;
    @Column(name = "expires_at", nullable = false)
    long expiresAt;

    PendingAuthorization toRecord() {
        return new PendingAuthorization(id, browserHash, Optional.ofNullable(csrfHash), clientId, redirectUri,
                Optional.ofNullable(clientState), codeChallenge, scope, resource, passthroughJson,
                Optional.ofNullable(upstreamStateHash), Optional.ofNullable(flowCookieHash),
                Optional.ofNullable(upstreamNonce), Optional.ofNullable(upstreamVerifierEncrypted),
                PendingAuthorization.Status.valueOf(status), Instant.ofEpochMilli(createdAt),
                Instant.ofEpochMilli(expiresAt));
    }

    static AuthorizationRequestEntity of(PendingAuthorization p) {
        AuthorizationRequestEntity e = new AuthorizationRequestEntity();
        e.id = p.id();
        e.browserHash = p.browserHash();
        e.csrfHash = p.csrfHash().orElse(null);
        e.clientId = p.clientId();
        e.redirectUri = p.redirectUri();
        e.clientState = p.clientState().orElse(null);
        e.codeChallenge = p.codeChallenge();
        e.scope = p.scope();
        e.resource = p.resource();
        e.passthroughJson = p.passthroughJson();
        e.upstreamStateHash = p.upstreamStateHash().orElse(null);
        e.flowCookieHash = p.flowCookieHash().orElse(null);
        e.upstreamNonce = p.upstreamNonce().orElse(null);
        e.upstreamVerifierEncrypted = p.upstreamVerifierEncrypted().orElse(null);
        e.status = p.status().name();
        e.createdAt = p.createdAt().toEpochMilli();
        e.expiresAt = p.expiresAt().toEpochMilli();
        return e;
    }
}
