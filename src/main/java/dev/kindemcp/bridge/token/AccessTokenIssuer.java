package dev.kindemcp.bridge.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.keys.SigningKeyService;
import dev.kindemcp.bridge.oauth.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Mints the bridge's access tokens: JWTs of type {@code at+jwt}, signed with the current key, for exactly one
 * resource, carrying the Kinde identity copied from Kinde-signed tokens.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2">RFC 9068 §2 JWT Access Token Header and Data Structure</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8707#section-2">RFC 8707 §2 (audience-restricted tokens)</a>
 */
@ApplicationScoped
public class AccessTokenIssuer {

    /** RFC 9068 §2.1: the typ header of JWT access tokens. */
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    /** Private claim naming the token-vault entry behind the token. */
    public static final String KINDE_GRANT_CLAIM = "kinde_grant";

    private final BridgeConfig config;
    private final SigningKeyService keys;
    private final Clock clock;

    @Inject
    public AccessTokenIssuer(BridgeConfig config, SigningKeyService keys, Clock clock) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.keys = Objects.requireNonNull(keys, "keys must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    AccessTokenIssuer() { // CDI proxy
        this.config = null;
        this.keys = null;
        this.clock = null;
    }

    /** Who a token is for and what it carries. */
    public record Subject(String subject, String clientId, String scope, String resource, Optional<String> orgCode,
            List<String> permissions, List<String> roles, Optional<List<String>> grantTypes,
            Optional<String> kindeGrant) {
        public Subject {
            Objects.requireNonNull(subject, "subject must not be null");
            Objects.requireNonNull(clientId, "clientId must not be null");
            Objects.requireNonNull(scope, "scope must not be null");
            Objects.requireNonNull(resource, "resource must not be null");
            Objects.requireNonNull(orgCode, "orgCode must not be null");
            permissions = List.copyOf(permissions);
            roles = List.copyOf(roles);
            Objects.requireNonNull(grantTypes, "grantTypes must not be null");
            Objects.requireNonNull(kindeGrant, "kindeGrant must not be null");
        }
    }

    /** A minted access token and its lifetime in seconds. */
    public record Minted(String value, long expiresIn) {
    }

    public Minted issue(Subject s) {
        return issue(s, Optional.empty());
    }

    /**
     * A token that never outlives {@code notAfter}: a machine token minted from a Kinde M2M token ends with that
     * token at the latest.
     */
    public Minted issue(Subject s, Optional<Instant> notAfter) {
        Instant now = clock.instant();
        Instant full = now.plus(config.accessTokenLifetime());
        Instant exp = notAfter.filter(limit -> limit.isBefore(full)).orElse(full);
        // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(config.issuerId())
                .subject(s.subject())
                .audience(s.resource())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(exp))
                .jwtID(Secrets.random(16))
                .claim("client_id", s.clientId())
                .claim("scope", s.scope())
                .claim("permissions", s.permissions())
                .claim("roles", s.roles());
        s.orgCode().ifPresent(org -> claims.claim("org_code", org));
        // R-TK-7: machine tokens are marked so that they are never mistaken for user tokens
        s.grantTypes().ifPresent(gty -> claims.claim("gty", gty));
        // the vault entry of this caller's Kinde tokens (an opaque id): tools call Kinde-protected APIs with them
        s.kindeGrant().ifPresent(grant -> claims.claim(KINDE_GRANT_CLAIM, grant));
        return new Minted(keys.sign(claims.build(), AT_JWT).serialize(),
                Math.max(0, java.time.Duration.between(now, exp).toSeconds()));
    }
}
