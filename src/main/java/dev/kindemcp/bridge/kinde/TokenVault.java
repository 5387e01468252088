package dev.kindemcp.bridge.kinde;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kindemcp.bridge.config.MasterKeyCipher;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.store.KindeGrantStore;
import dev.kindemcp.bridge.store.KindeGrantStore.StoredGrant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the Kinde tokens behind each bridge grant, encrypted under the master key with the grant id bound
 * into the ciphertext; MCP clients never see them.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.9.2">RFC 9700 §4.9.2 (tokens at rest)</a>
 * @see <a href="https://modelcontextprotocol.io/docs/tutorials/security/security_best_practices#token-passthrough">MCP Security Best Practices: "Token Passthrough"</a>
 */
@ApplicationScoped
public class TokenVault {

    private final KindeGrantStore store;
    private final MasterKeyCipher cipher;
    private final Clock clock;

    @Inject
    public TokenVault(KindeGrantStore store, MasterKeyCipher cipher, Clock clock) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.cipher = Objects.requireNonNull(cipher, "cipher must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    TokenVault() { // CDI proxy
        this.store = null;
        this.cipher = null;
        this.clock = null;
    }

    /** Stores the tokens of a login as a new grant; returns the grant id. */
    public String deposit(KindeLogin login) {
        String id = "kg_" + Secrets.random(16);
        Instant now = clock.instant();
        store.save(new StoredGrant(id, Optional.of(login.subject()), login.identity().orgCode(),
                cipher.encrypt(toJson(login.tokens()), context(id)), login.tokens().accessExpiresAt(), now, now));
        return id;
    }

    /** The tokens of a grant, decrypted. */
    public Optional<KindeTokens> tokens(String grantId) {
        return store.find(grantId).map(g -> fromJson(cipher.decrypt(g.tokensEncrypted(), context(grantId))));
    }

    private static String context(String grantId) {
        return "kinde-grant:" + grantId;
    }

    private static String toJson(KindeTokens tokens) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", tokens.accessToken());
        tokens.refreshToken().ifPresent(t -> json.put("refresh_token", t));
        tokens.idToken().ifPresent(t -> json.put("id_token", t));
        json.put("access_expires_at", tokens.accessExpiresAt().getEpochSecond());
        return JSONObjectUtils.toJSONString(json);
    }

    private static KindeTokens fromJson(String json) {
        try {
            Map<String, Object> m = JSONObjectUtils.parse(json);
            return new KindeTokens((String) m.get("access_token"), Optional.ofNullable((String) m.get("refresh_token")),
                    Optional.ofNullable((String) m.get("id_token")),
                    Instant.ofEpochSecond(((Number) m.get("access_expires_at")).longValue()));
        } catch (ParseException e) {
            throw new IllegalStateException("vault entry is not valid JSON", e);
        }
    }
}
