package dev.kindemcp.bridge.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * Row of {@code authorization_code}; never leaves the store package.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 §4.1.2 Authorization Response</a>
 */
@Entity
@Table(name = "authorization_code")
class AuthorizationCodeEntity {

    @Id
    @Column(name = "code_hash")
    String codeHash;
    @Column(name = "client_id", nullable = false)
    String clientId;
    @Column(name = "redirect_uri", nullable = false)
    String redirectUri;
    @Column(name = "code_challenge", nullable = false)
    String codeChallenge;
    @Column(name = "scope", nullable = false)
    String scope;
    @Column(name = "resource", nullable = false)
    String resource;
    @Column(name = "grant_id", nullable = false)
    String grantId;
    @Column(name = "kinde_subject", nullable = false)
    String kindeSubject;
    @Column(name = "org_code")
    String orgCode;
    @Column(name = "identity_json")
    String identityJson;
    @Column(name = "issued_at", nullable = false)
    long issuedAt;
    @Column(name = "expires_at", nullable = false)
    long expiresAt;
    @Column(name = "consumed_at")
    Long consumedAt;

    IssuedCode toRecord() {
        return new IssuedCode(codeHash, clientId, redirectUri, codeChallenge, scope, resource, grantId, kindeSubject,
                Optional.ofNullable(orgCode), identityJson == null ? "{}" : identityJson, Instant.ofEpochMilli(issuedAt), Instant.ofEpochMilli(expiresAt),
                Optional.ofNullable(consumedAt).map(Instant::ofEpochMilli));
    }

    static AuthorizationCodeEntity of(IssuedCode c) {
        AuthorizationCodeEntity e = new AuthorizationCodeEntity();
        e.codeHash = c.codeHash();
        e.clientId = c.clientId();
        e.redirectUri = c.redirectUri();
        e.codeChallenge = c.codeChallenge();
        e.scope = c.scope();
        e.resource = c.resource();
        e.grantId = c.grantId();
        e.kindeSubject = c.kindeSubject();
        e.orgCode = c.orgCode().orElse(null);
        e.identityJson = c.identityJson();
        e.issuedAt = c.issuedAt().toEpochMilli();
        e.expiresAt = c.expiresAt().toEpochMilli();
        e.consumedAt = c.consumedAt().map(Instant::toEpochMilli).orElse(null);
        return e;
    }
}
