package dev.kindemcp.bridge.token;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.authorization.ResourceIndicator;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.MasterKeyCipher;
import dev.kindemcp.bridge.kinde.KindeGrantException;
import dev.kindemcp.bridge.kinde.KindeUpstreamException;
import dev.kindemcp.bridge.kinde.TokenVault;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.RequestParameters;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.registration.KnownClient;
import dev.kindemcp.bridge.store.IssuedCode;
import dev.kindemcp.bridge.store.RefreshFamily;
import dev.kindemcp.bridge.store.RefreshTokenRecord;
import dev.kindemcp.bridge.store.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Refresh-token families: the first pair of a grant, and the refresh_token grant with rotation, a reuse
 * grace window that answers a retry with the same successor pair, family revocation on any other reuse,
 * idle and absolute lifetimes, and scope narrowing only.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 §6 Refreshing an Access Token</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2 Recommendations (rotation, reuse detection)</a>
 */
@ApplicationScoped
public class RefreshTokens {

    /** The audit trail (issue 15.3); absent when the class is built without CDI (unit tests). */
    @jakarta.inject.Inject
    dev.kindemcp.bridge.audit.AuditLog audit;

    private static final Logger LOG = Logger.getLogger(RefreshTokens.class.getName());

    @Inject
    GrantEnding ending;

    @Inject
    BridgeConfig config;

    @Inject
    TokenStore store;

    @Inject
    AccessTokenIssuer accessTokens;

    @Inject
    MasterKeyCipher cipher;

    @Inject
    TokenVault vault;

    @Inject
    Clock clock;

    @Inject
    dev.kindemcp.bridge.store.ClientStore clients;

    /** The first tokens of a grant: an access token, and a refresh token when the client may refresh. */
    /**
     * Redeems a code in one transaction: the code is claimed and its family started together, so that a failure
     * between the two leaves the code unspent, and a concurrent replay (whose claim waits for this transaction's
     * row lock) finds the family and revokes it. Empty when the code was already claimed.
     */
    @Transactional
    public Optional<IssuedTokens> redeem(KnownClient client, IssuedCode code, Instant now) {
        // RFC 6749 §4.1.2: single use; the claim and the tokens it yields commit together
        if (!store.consumeCode(code.codeHash(), now)) {
            return Optional.empty();
        }
        return Optional.of(startFamily(client, code));
    }

    public IssuedTokens startFamily(KnownClient client, IssuedCode code) {
        Instant now = clock.instant();
        RefreshFamily family = new RefreshFamily("rf_" + Secrets.random(16), client.clientId(), code.grantId(),
                code.kindeSubject(), code.identityJson(), code.scope(), code.resource(), Optional.of(code.codeHash()),
                now, now.plus(config.tokens().refreshAbsoluteLifetime()), Optional.empty());
        AccessTokenIssuer.Minted access = accessTokens.issue(subject(family, family.scope()));
        if (!client.grantTypes().contains("refresh_token")) {
            return new IssuedTokens(access.value(), access.expiresIn(), family.scope(), Optional.empty());
        }
        String refresh = Secrets.random(32);
        store.saveFamily(family, new RefreshTokenRecord(Secrets.hash(refresh), family.id(), now,
                idleExpiry(family, now), Optional.empty(), Optional.empty()));
        return new IssuedTokens(access.value(), access.expiresIn(), family.scope(), Optional.of(refresh));
    }

    /** The refresh_token grant. */
    public IssuedTokens refresh(KnownClient client, RequestParameters params) {
        if (!client.grantTypes().contains("refresh_token")) {
            throw new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, "this client may not use refresh tokens");
        }
        String presented = params.single("refresh_token").orElseThrow(() -> grant("refresh_token is required"));
        String hash = Secrets.hash(presented);
        RefreshTokenRecord token = store.findToken(hash).orElseThrow(() -> grant("the refresh token is not valid"));
        RefreshFamily family = store.findFamily(token.familyId()).orElseThrow(() -> grant("the refresh token is not valid"));
        Instant now = clock.instant();
        // OAuth 2.1 (draft-ietf-oauth-v2-1-13) §4.3.1: refresh tokens are bound to the client they were issued to
        if (!family.clientId().equals(client.clientId())) {
            throw grant("the refresh token was issued to another client");
        }
        if (family.revokedAt().isPresent()) {
            throw grant("the refresh token has been revoked");
        }
        if (!family.absoluteExpiresAt().isAfter(now) || !token.idleExpiresAt().isAfter(now)) {
            throw grant("the refresh token has expired");
        }
        String scope = narrowedScope(family, client, params.single("scope"));
        checkResource(family, params);
        if (token.rotatedAt().isEmpty()) {
            renewKindeGrant(family, now);
            // a client that refreshes is in use: its unused lifetime starts again (issue 12.6)
            clients.touch(client.clientId(), now, now.plus(config.registration().unusedClientLifetime()));
            String successor = Secrets.random(32);
            AccessTokenIssuer.Minted access = accessTokens.issue(subject(family, scope));
            IssuedTokens pair = new IssuedTokens(access.value(), access.expiresIn(), scope, Optional.of(successor));
            RefreshTokenRecord next = new RefreshTokenRecord(Secrets.hash(successor), family.id(), now,
                    idleExpiry(family, now), Optional.empty(), Optional.empty());
            if (store.rotate(hash, now, cipher.encrypt(toJson(pair), successorContext(hash)), next)) {
                return pair;
            }
            // another request rotated this token first: answer like a retry
            token = store.findToken(hash).orElseThrow(() -> grant("the refresh token is not valid"));
        }
        return retry(family, token, hash, now);
    }

    /**
     * Deviation: a retry of a just-rotated refresh token within the grace window gets the same successor pair
     * instead of revoking the family, because real clients race and lose rotated tokens
     * (spec-requirements.md §3c quirk 4); any other reuse revokes the family (RFC 9700 §4.14.2).
     */
    private IssuedTokens retry(RefreshFamily family, RefreshTokenRecord token, String hash, Instant now) {
        Instant rotatedAt = token.rotatedAt().orElseThrow();
        boolean withinGrace = !now.isAfter(rotatedAt.plus(config.tokens().reuseGrace()));
        // past the window the pair is cleared (ExpiredRowsPurge): a retry then is a reuse
        Optional<IssuedTokens> successor = token.successorEncrypted().filter(pair -> withinGrace)
                .map(pair -> fromJson(cipher.decrypt(pair, successorContext(hash))));
        boolean successorUnused = successor.flatMap(pair -> store.findToken(Secrets.hash(
                pair.refreshToken().orElseThrow()))).map(next -> next.rotatedAt().isEmpty()).orElse(false);
        if (successorUnused) {
            return successor.get();
        }
        ending.endFamily(family);
        LOG.warning(() -> "security: rotated refresh token reused by " + family.clientId() + "; family "
                + family.id() + " revoked");
        audit("refresh_reuse_detected", "family_revoked", "client", family.clientId(), "actor", family.kindeSubject(),
                "family", family.id());
        throw grant("the refresh token has already been used");
    }

    /**
     * The Kinde tokens behind the family are renewed at Kinde first when they expire; Kinde refusing the
     * refresh (user removed, refresh token revoked) ends the bridge grant too (security catalogue UP-15).
     */
    private void renewKindeGrant(RefreshFamily family, Instant now) {
        try {
            vault.currentAccessToken(family.grantId());
        } catch (KindeGrantException e) {
            if (e.reason() == KindeGrantException.Reason.BACKING_OFF) {
                // Kinde refused the last renewal and the vault waits before asking again: try again later
                throw new OAuthException(OAuth2Error.TEMPORARILY_UNAVAILABLE.setHTTPStatusCode(503),
                        "the identity provider could not renew the grant yet", e.getMessage()).retryAfter(30);
            }
            store.revokeFamily(family.id(), now);
            LOG.info(() -> "Kinde grant of family " + family.id() + " is gone (" + e.reason() + "); family revoked");
            throw grant("the grant was revoked at the identity provider");
        } catch (KindeUpstreamException e) {
            if (e.reason() == KindeUpstreamException.Reason.GRANT_REVOKED) {
                store.revokeFamily(family.id(), now);
                throw grant("the grant was revoked at the identity provider");
            }
            throw new OAuthException(e.transientFailure() ? OAuth2Error.TEMPORARILY_UNAVAILABLE.setHTTPStatusCode(503)
                    : OAuth2Error.SERVER_ERROR, "the identity provider could not renew the grant", e.getMessage())
                    .retryAfter(5);
        }
    }

    /**
     * RFC 6749 §6: the scope may be narrowed, never widened; the new refresh token keeps the original. A scope
     * the client may no longer be granted (its registration or the bridge's scopes changed since) is left out.
     */
    private static String narrowedScope(RefreshFamily family, KnownClient client, Optional<String> requested) {
        List<String> granted = Arrays.stream(family.scope().split(" ")).filter(client.scopes()::contains).toList();
        if (granted.isEmpty()) {
            throw new OAuthException(OAuth2Error.INVALID_SCOPE,
                    "this client is no longer registered for any scope of this grant");
        }
        if (requested.isEmpty()) {
            return String.join(" ", granted);
        }
        List<String> asked = new ArrayList<>();
        for (String s : requested.get().trim().split(" +")) {
            if (!s.isEmpty() && !asked.contains(s)) {
                asked.add(s);
            }
        }
        if (asked.isEmpty() || !granted.containsAll(asked)) {
            throw new OAuthException(OAuth2Error.INVALID_SCOPE, "the scope exceeds what was granted");
        }
        return String.join(" ", asked);
    }

    /** RFC 8707 §2: a refresh cannot switch resource; a missing resource means the grant's. */
    private static void checkResource(RefreshFamily family, RequestParameters params) {
        if (params.count("resource") == 0) {
            return;
        }
        Optional<String> canonical = params.single("resource").flatMap(ResourceIndicator::canonical);
        if (!canonical.equals(ResourceIndicator.canonical(family.resource()))) {
            throw new OAuthException(OAuth2Error.INVALID_TARGET, "the resource differs from the grant");
        }
    }

    private Instant idleExpiry(RefreshFamily family, Instant now) {
        Instant idle = now.plus(config.tokens().refreshIdleLifetime());
        return idle.isBefore(family.absoluteExpiresAt()) ? idle : family.absoluteExpiresAt();
    }

    private static AccessTokenIssuer.Subject subject(RefreshFamily family, String scope) {
        GrantIdentity identity = GrantIdentity.parse(family.identityJson());
        return new AccessTokenIssuer.Subject(family.kindeSubject(), family.clientId(), scope, family.resource(),
                identity.orgCode(), identity.permissions(), identity.roles(), Optional.empty(),
                Optional.of(family.grantId()));
    }

    private static String successorContext(String tokenHash) {
        return "refresh-successor:" + tokenHash;
    }

    private static String toJson(IssuedTokens pair) {
        Map<String, Object> json = new LinkedHashMap<>(pair.toJson());
        return JSONObjectUtils.toJSONString(json);
    }

    private static IssuedTokens fromJson(String json) {
        try {
            Map<String, Object> m = JSONObjectUtils.parse(json);
            return new IssuedTokens((String) m.get("access_token"), ((Number) m.get("expires_in")).longValue(),
                    (String) m.get("scope"), Optional.ofNullable((String) m.get("refresh_token")));
        } catch (ParseException e) {
            throw new IllegalStateException("stored successor pair is not valid", e);
        }
    }

    private static OAuthException grant(String description) {
        return new OAuthException(OAuth2Error.INVALID_GRANT, description);
    }

    private void audit(String event, String outcome, Object... fields) {
        if (audit != null) {
            audit.record(event, outcome, fields);
        }
    }
}
