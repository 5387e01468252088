package dev.kindemcp.bridge.resource;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.util.DateUtils;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.keys.SigningKeyService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the bridge's own access tokens: a JWS of type {@code at+jwt}, signed with the configured algorithm by
 * a key the bridge publishes, issued by the bridge, unexpired (30 s skew), with {@code sub}, {@code client_id},
 * {@code jti} and, when asked, exactly the expected audience. Anything else (Kinde tokens, JWE, unsigned
 * tokens, foreign keys) is rejected.
 *
 * <p>Issue 16: a token that verified is remembered by its SHA-256 ({@value #CACHE_SIZE} at most) until it
 * expires, so that the next request with it checks only expiry and audience; the published keys are turned into
 * Java keys once per key set, not per request. When the published key set changes, both are rebuilt.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-4">RFC 9068 §4 Validating JWT Access Tokens</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725#section-3.1">RFC 8725 §3.1 Perform Algorithm Verification</a>
 */
@ApplicationScoped
public class BridgeTokenVerifier {

    static final int MAX_TOKEN_LENGTH = dev.kindemcp.bridge.oauth.TokenSize.MAX_JWT_LENGTH;
    static final int CLOCK_SKEW_SECONDS = 30;
    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    /** The most verified tokens remembered; a full cache drops its expired entries, or else all of them. */
    static final int CACHE_SIZE = 10_000;

    private final BridgeConfig config;
    private final SigningKeyService keys;
    private final Clock clock;
    private final ConcurrentHashMap<String, JWTClaimsSet> verified = new ConcurrentHashMap<>();
    private volatile VerificationKeys verificationKeys;

    /** The published keys as Java keys by kid, for one key set (identified by its kids), and the set read. */
    private record VerificationKeys(JWKSet source, Set<String> kids, Map<String, List<Key>> byKid) {
    }

    @Inject
    public BridgeTokenVerifier(BridgeConfig config, SigningKeyService keys, Clock clock) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.keys = Objects.requireNonNull(keys, "keys must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    BridgeTokenVerifier() { // CDI proxy
        this.config = null;
        this.keys = null;
        this.clock = null;
    }

    /** The claims of a valid bridge access token, or empty; {@code audience} must then be its only audience. */
    public Optional<JWTClaimsSet> verify(String token, Optional<String> audience) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        VerificationKeys current = verificationKeys();
        String hash = hash(token);
        JWTClaimsSet remembered = verified.get(hash);
        if (remembered != null) {
            return stillValid(remembered, audience) ? Optional.of(remembered) : Optional.empty();
        }
        try {
            JWT jwt = JWTParser.parse(token);
            // RFC 8725 §3.2: only signed JWTs; unsigned and encrypted tokens are never processed further
            if (!(jwt instanceof SignedJWT signed)
                    || !config.signingAlgorithm().equals(signed.getHeader().getAlgorithm())
                    || signed.getHeader().getCriticalParams() != null) {
                return Optional.empty();
            }
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            // RFC 9068 §4: typ must be at+jwt
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(AT_JWT));
            processor.setJWSKeySelector((header, context) -> current.byKid()
                    .getOrDefault(header.getKeyID() == null ? "" : header.getKeyID(), List.of()));
            ClaimsVerifier claims = new ClaimsVerifier(audience.map(Set::of).orElse(null),
                    new JWTClaimsSet.Builder().issuer(config.issuerId()).build(),
                    Set.of("sub", "client_id", "jti", "exp", "iat", "aud"), clock);
            claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
            processor.setJWTClaimsSetVerifier(claims);
            JWTClaimsSet verified = processor.process(signed, null);
            // RFC 8707 §2: one token, one audience; an array with a foreign audience is refused
            if (audience.isPresent() && !verified.getAudience().equals(java.util.List.of(audience.get()))) {
                return Optional.empty();
            }
            remember(hash, verified);
            return Optional.of(verified);
        } catch (java.text.ParseException | BadJOSEException | com.nimbusds.jose.JOSEException | RuntimeException
                | StackOverflowError e) {
            return Optional.empty();
        }
    }

    /** The claims checks that can change after a token verified: expiry and not-before (with skew), audience. */
    private boolean stillValid(JWTClaimsSet claims, Optional<String> audience) {
        Date now = Date.from(clock.instant());
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        if (exp == null || !DateUtils.isAfter(exp, now, CLOCK_SKEW_SECONDS)
                || (nbf != null && !DateUtils.isBefore(nbf, now, CLOCK_SKEW_SECONDS))) {
            return false;
        }
        return audience.isEmpty() || claims.getAudience().equals(List.of(audience.get()));
    }

    private void remember(String hash, JWTClaimsSet claims) {
        if (verified.size() >= CACHE_SIZE) {
            verified.values().removeIf(c -> !stillValid(c, Optional.empty()));
            if (verified.size() >= CACHE_SIZE) {
                verified.clear();
            }
        }
        verified.put(hash, claims);
    }

    /**
     * The published keys as Java keys, rebuilt (and the remembered tokens forgotten) when the set of published
     * kids changes; only keys of the configured algorithm's type and for signatures.
     */
    private VerificationKeys verificationKeys() {
        JWKSet published = keys.publishedKeys();
        VerificationKeys known = verificationKeys;
        if (known != null && known.source() == published) {
            return known; // the same key ring as last time: nothing to compare (the hot path)
        }
        Set<String> kids = published.getKeys().stream().map(JWK::getKeyID).filter(Objects::nonNull)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        if (known != null && known.kids().equals(kids)) {
            verificationKeys = new VerificationKeys(published, kids, known.byKid()); // reloaded, unchanged
            return verificationKeys;
        }
        Map<String, List<Key>> byKid = new HashMap<>();
        JWSAlgorithm algorithm = config.signingAlgorithm();
        for (JWK jwk : published.getKeys()) {
            if (jwk.getKeyID() == null || (jwk.getAlgorithm() != null && !algorithm.equals(jwk.getAlgorithm()))
                    || (jwk.getKeyUse() != null && jwk.getKeyUse() != KeyUse.SIGNATURE)) {
                continue;
            }
            try {
                if (jwk instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(algorithm)) {
                    byKid.put(jwk.getKeyID(), List.of(rsa.toRSAPublicKey()));
                } else if (jwk instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(algorithm)) {
                    byKid.put(jwk.getKeyID(), List.of(ec.toECPublicKey()));
                }
            } catch (com.nimbusds.jose.JOSEException e) {
                // a key that cannot be used verifies nothing
            }
        }
        VerificationKeys rebuilt = new VerificationKeys(published, kids, Map.copyOf(byKid));
        verified.clear();
        verificationKeys = rebuilt;
        return rebuilt;
    }

    private static String hash(String token) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nimbus's claims checks on the injected clock. */
    private static final class ClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
        private final Clock clock;

        ClaimsVerifier(Set<String> audience, JWTClaimsSet exact, Set<String> required, Clock clock) {
            super(audience, exact, required, null);
            this.clock = clock;
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }
    }
}
