package dev.kindemcp.bridge.token;

import dev.kindemcp.bridge.store.AuthorizationStore;
import dev.kindemcp.bridge.store.IssuedCode;
import dev.kindemcp.bridge.store.PendingAuthorization;
import java.time.Instant;
import java.util.Optional;

/** An authorization store that holds one code and nothing else, for grant-handler unit tests. */
final class CodeOnlyStore implements AuthorizationStore {

    private final IssuedCode code;

    CodeOnlyStore(IssuedCode code) {
        this.code = code;
    }

    @Override
    public Optional<IssuedCode> findCode(String codeHash) {
        return code.codeHash().equals(codeHash) ? Optional.of(code) : Optional.empty();
    }

    private static AssertionError unused() {
        return new AssertionError("not used by the grant handler");
    }

    @Override
    public void saveRequest(PendingAuthorization request) {
        throw unused();
    }

    @Override
    public Optional<PendingAuthorization> findRequest(String id) {
        throw unused();
    }

    @Override
    public Optional<PendingAuthorization> findByUpstreamState(String upstreamStateHash) {
        throw unused();
    }

    @Override
    public boolean consumeCsrf(String id, String csrfHash, String browserHash, Instant now) {
        throw unused();
    }

    @Override
    public void startUpstream(String id, String upstreamStateHash, String flowCookieHash, String nonce,
            String verifierEncrypted, Instant expiresAt) {
        throw unused();
    }

    @Override
    public boolean consumeUpstreamState(String id, Instant now) {
        throw unused();
    }

    @Override
    public void deleteRequest(String id) {
        throw unused();
    }

    @Override
    public Optional<String> findConsent(String browserHash, String clientId) {
        throw unused();
    }

    @Override
    public void saveConsent(String browserHash, String clientId, String scope, Instant now) {
        throw unused();
    }

    @Override
    public void attachConsentUser(String browserHash, String clientId, String kindeUserId) {
        throw unused();
    }

    @Override
    public int deleteConsents(String clientId) {
        throw unused();
    }

    @Override
    public void saveCode(IssuedCode c) {
        throw unused();
    }

    @Override
    public int purgeExpired(Instant now) {
        throw unused();
    }

    @Override
    public java.util.List<String> deleteCodesOfClient(String clientId) {
        throw new UnsupportedOperationException("not used by the code grant");
    }
}
