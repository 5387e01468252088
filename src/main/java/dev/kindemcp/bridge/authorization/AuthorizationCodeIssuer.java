package dev.kindemcp.bridge.authorization;

import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.kinde.KindeLogin;
import dev.kindemcp.bridge.kinde.TokenVault;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.store.AuthorizationStore;
import dev.kindemcp.bridge.store.ClientStore;
import dev.kindemcp.bridge.store.IssuedCode;
import dev.kindemcp.bridge.store.PendingAuthorization;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Writes the outcome of a successful login in one transaction: the Kinde tokens into the vault, the user onto
 * the consent, the bridge's authorization code, and the client's last use; either all of it or nothing.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 §4.1.2 Authorization Response</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.5">RFC 9700 §4.5 (codes short-lived and single use)</a>
 */
@ApplicationScoped
public class AuthorizationCodeIssuer {

    /** OAuth 2.1 (draft-ietf-oauth-v2-1-13) §4.1.2: short-lived codes; the bridge uses 60 s. */
    public static final Duration CODE_LIFETIME = Duration.ofSeconds(60);

    @Inject
    TokenVault vault;

    @Inject
    AuthorizationStore store;

    @Inject
    ClientStore clients;

    @Inject
    BridgeConfig config;

    @Inject
    Clock clock;

    /** Returns the new code (the store keeps only its hash). */
    @Transactional
    public String issue(PendingAuthorization request, KindeLogin login) {
        String grantId = vault.deposit(login);
        store.attachConsentUser(request.browserHash(), request.clientId(), login.subject());
        String code = Secrets.random(32);
        Instant now = clock.instant();
        store.saveCode(new IssuedCode(Secrets.hash(code), request.clientId(), request.redirectUri(),
                request.codeChallenge(), request.scope(), request.resource(), grantId, login.subject(),
                login.identity().orgCode(), identityJson(login), now, now.plus(CODE_LIFETIME), Optional.empty()));
        clients.touch(request.clientId(), now, now.plus(config.registration().unusedClientLifetime()));
        return code;
    }

    /** What the bridge's access tokens copy from Kinde's signed access token. */
    static String identityJson(KindeLogin login) {
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        login.identity().orgCode().ifPresent(org -> json.put("org_code", org));
        json.put("permissions", java.util.List.copyOf(new java.util.TreeSet<>(login.identity().permissions())));
        json.put("roles", java.util.List.copyOf(new java.util.TreeSet<>(login.identity().roles())));
        return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(json);
    }
}
