package dev.kindemcp.bridge.kinde;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import java.util.List;
import java.util.UUID;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.io.IOException;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies JWTs signed by Kinde: RS256 only, keys from Kinde's JWKS by {@code kid} through a cache that
 * refetches at most once per interval for unknown kids and keeps the last good keys through an outage; then
 * {@code iss} exactly, {@code exp} (with a small skew, on the injected clock) and, when asked, {@code aud}.
 * Thread-safe.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7519#section-7.2">RFC 7519 §7.2 Validating a JWT</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725#section-3.1">RFC 8725 §3.1 Perform Algorithm Verification</a>
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#RotateSigKeys">OpenID Connect Core 1.0 §10.1.1 Rotation of Asymmetric Signing Keys</a>
 */
final class KindeTokenVerifier {

    /** Tolerated clock difference between Kinde and the bridge for {@code exp} and {@code nbf}. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    /** Kinde tokens are a few KiB; anything far larger is rejected before parsing. */
    static final int MAX_TOKEN_LENGTH = dev.kindemcp.bridge.oauth.TokenSize.MAX_JWT_LENGTH;

    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    private static final Set<JOSEObjectType> ACCEPTED_TYPES = Set.of(JOSEObjectType.JWT, AT_JWT);

    private final String issuer;
    private final Set<String> accessTokenIssuers;
    private final Clock clock;
    private final LoadTrackingSource tracking;
    private final JWKSource<SecurityContext> keys;

    KindeTokenVerifier(String issuer, URL jwksUrl, ResourceRetriever retriever, KeyCachePolicy policy,
            Duration fetchTimeout, Clock clock) {
        this(issuer, Set.of(issuer), jwksUrl, retriever, policy, fetchTimeout, clock);
    }

    /**
     * {@code issuer} is the login domain's (ID tokens, always from a login through it); access tokens may also
     * name one of {@code accessTokenIssuers}, the other domains of the same Kinde business (a custom domain and
     * the kinde.com subdomain), which sign with the same keys.
     */
    KindeTokenVerifier(String issuer, Set<String> accessTokenIssuers, URL jwksUrl, ResourceRetriever retriever,
            KeyCachePolicy policy, Duration fetchTimeout, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer must not be null");
        this.accessTokenIssuers = Set.copyOf(accessTokenIssuers);
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.tracking = new LoadTrackingSource(new URLBasedJWKSetSource<>(jwksUrl, retriever));
        this.keys = JWKSourceBuilder.create(tracking)
                .cache(policy.cacheTimeToLive().toMillis(), fetchTimeout.toMillis())
                .refreshAheadCache(false)
                .rateLimited(policy.refetchInterval().toMillis())
                .retrying(false)
                .outageTolerant(policy.outageTolerance().toMillis())
                .build();
    }

    /**
     * Kinde's public signing keys from the cache, fetched when the cache is empty or stale. With {@code refresh}
     * a refetch is attempted too, at most once per refetch interval (the rate limit of the key source), so that a
     * newly rotated Kinde key appears without ever letting callers drive traffic to Kinde.
     *
     * @throws KindeUpstreamException when no keys were ever fetched and Kinde cannot be reached
     */
    JWKSet publicKeys(boolean refresh) {
        try {
            if (refresh) {
                try {
                    // a kid that cannot exist: the caching source refreshes (rate-limited) when nothing matches
                    keys.get(new JWKSelector(new JWKMatcher.Builder().keyID("kmb-refresh-" + UUID.randomUUID())
                            .build()), null);
                } catch (RateLimitReachedException e) {
                    // refreshed recently: the cached keys are the answer
                }
            }
            List<JWK> all = keys.get(new JWKSelector(new JWKMatcher.Builder().publicOnly(true).build()), null);
            return new JWKSet(all.stream().map(JWK::toPublicJWK).toList());
        } catch (KeySourceException e) {
            throw keysUnavailable(e);
        }
    }

    /**
     * The claims of a valid Kinde-signed token that passed {@link #preflight(String)}.
     *
     * @param audience when present, {@code aud} must contain it
     * @throws KindeTokenException when the token is not valid
     * @throws KindeUpstreamException when Kinde's keys cannot be had and none are cached
     */
    JWTClaimsSet verify(SignedJWT jwt, Optional<String> audience) {
        return process(processor(audience), jwt);
    }

    private JWTClaimsSet process(DefaultJWTProcessor<SecurityContext> processor, SignedJWT jwt) {
        try {
            return processor.process(jwt, null);
        } catch (ExpiredJWTException e) {
            throw new KindeTokenException(KindeTokenException.Reason.EXPIRED, "Kinde token has expired", e);
        } catch (BadJWTException e) {
            throw new KindeTokenException(KindeTokenException.Reason.CLAIMS_REJECTED,
                    "Kinde token claims were rejected (issuer, audience or required claims)", e);
        } catch (BadJWSException e) {
            throw new KindeTokenException(KindeTokenException.Reason.BAD_SIGNATURE,
                    "Kinde token signature is invalid", e);
        } catch (BadJOSEException e) {
            throw new KindeTokenException(KindeTokenException.Reason.UNKNOWN_KEY,
                    "Kinde token is not signed by a key Kinde publishes", e);
        } catch (RateLimitReachedException e) {
            if (tracking.loaded()) {
                throw new KindeTokenException(KindeTokenException.Reason.UNKNOWN_KEY,
                        "Kinde token names a signing key Kinde does not publish", e);
            }
            throw keysUnavailable(e);
        } catch (KeySourceException e) {
            throw keysUnavailable(e);
        } catch (JOSEException e) {
            throw new KindeTokenException(KindeTokenException.Reason.BAD_SIGNATURE,
                    "Kinde token signature could not be verified", e);
        }
    }

    /**
     * The claims of a valid Kinde ID token for this client and login: signature by Kinde's keys, {@code iss}
     * exactly, {@code aud} containing the client id, {@code exp} and {@code iat} present, {@code sub} present,
     * and {@code nonce} equal to the one sent.
     *
     * @throws KindeTokenException when the ID token is not valid
     * @throws KindeUpstreamException when Kinde's keys cannot be had and none are cached
     */
    JWTClaimsSet verifyIdToken(SignedJWT jwt, String clientId, String nonce) {
        // OpenID Connect Core 1.0 §3.1.3.7: iss exact, aud contains client_id, exp, and the nonce sent
        return process(idTokenProcessor(clientId,
                new JWTClaimsSet.Builder().issuer(issuer).claim("nonce", nonce).build()), jwt);
    }

    /**
     * The claims of a valid ID token that Kinde returned with a refresh: as {@link #verifyIdToken} but without a
     * nonce, which belongs to the original login only. The caller compares {@code sub} with the access token's.
     *
     * @throws KindeTokenException when the ID token is not valid
     * @throws KindeUpstreamException when Kinde's keys cannot be had and none are cached
     */
    JWTClaimsSet verifyRefreshedIdToken(SignedJWT jwt, String clientId) {
        // OpenID Connect Core 1.0 §12.2: iss and aud as at login, exp and iat present; no nonce is expected
        return process(idTokenProcessor(clientId, new JWTClaimsSet.Builder().issuer(issuer).build()), jwt);
    }

    private DefaultJWTProcessor<SecurityContext> idTokenProcessor(String clientId, JWTClaimsSet exactMatch) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        ClockClaimsVerifier verifier = new ClockClaimsVerifier(Set.of(clientId), exactMatch,
                Set.of("exp", "iat", "sub"), clock);
        verifier.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(verifier);
        return processor;
    }

    /**
     * Parses the token and checks its size, algorithm and type: what can be refused without Kinde's keys.
     *
     * @throws KindeTokenException when the token cannot be a Kinde token
     */
    static SignedJWT preflight(String token) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw new KindeTokenException(KindeTokenException.Reason.MALFORMED, "Kinde token is empty or too long",
                    null);
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new KindeTokenException(KindeTokenException.Reason.MALFORMED, "Kinde token is not a JWT", e);
        }
        if (jwt instanceof PlainJWT) {
            // RFC 8725 §3.2: unsecured JWTs are never accepted
            throw new KindeTokenException(KindeTokenException.Reason.UNSECURED, "Kinde token is not signed", null);
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new KindeTokenException(KindeTokenException.Reason.MALFORMED, "Kinde token is not a signed JWT",
                    null);
        }
        // RFC 8725 §3.1: the algorithm is pinned to RS256, never taken from the token
        if (!JWSAlgorithm.RS256.equals(signed.getHeader().getAlgorithm())) {
            throw new KindeTokenException(KindeTokenException.Reason.DISALLOWED_ALGORITHM,
                    "Kinde token is not signed with RS256", null);
        }
        JOSEObjectType type = signed.getHeader().getType();
        if (type != null && !ACCEPTED_TYPES.contains(type)) {
            throw new KindeTokenException(KindeTokenException.Reason.MALFORMED, "Kinde token has an unexpected typ",
                    null);
        }
        return signed;
    }

    private static KindeUpstreamException keysUnavailable(KeySourceException e) {
        return new KindeUpstreamException(KindeUpstreamException.Reason.UNREACHABLE,
                "Kinde signing keys could not be fetched and none are cached", e);
    }

    private DefaultJWTProcessor<SecurityContext> processor(Optional<String> audience) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // RFC 8725 §3.11: explicit typing; Kinde sends JWT, at+jwt (RFC 9068 §2.1) is accepted too
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, AT_JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        // RFC 7519 §4.1.1 and §4.1.4: iss must be one of Kinde's domains exactly, exp is required
        ClockClaimsVerifier verifier = new ClockClaimsVerifier(audience.map(Set::of).orElse(null),
                new JWTClaimsSet.Builder().build(), Set.of("exp", "iss"), clock, accessTokenIssuers);
        verifier.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(verifier);
        return processor;
    }

    /** Nimbus's claims checks, on the injected clock. */
    private static final class ClockClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {

        private final Clock clock;

        private final Set<String> issuers;

        ClockClaimsVerifier(Set<String> audience, JWTClaimsSet exactMatch, Set<String> required, Clock clock) {
            this(audience, exactMatch, required, clock, Set.of());
        }

        /** {@code issuers} not empty: {@code iss} must be exactly one of them. */
        ClockClaimsVerifier(Set<String> audience, JWTClaimsSet exactMatch, Set<String> required, Clock clock,
                Set<String> issuers) {
            super(audience, exactMatch, required, null);
            this.clock = clock;
            this.issuers = issuers;
        }

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context)
                throws com.nimbusds.jwt.proc.BadJWTException {
            super.verify(claims, context);
            if (!issuers.isEmpty() && !issuers.contains(claims.getIssuer())) {
                throw new com.nimbusds.jwt.proc.BadJWTException("JWT iss claim is not an accepted Kinde issuer");
            }
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }
    }

    /**
     * Remembers whether Kinde's JWKS was ever fetched, so that a rate-limited refetch can be told apart from
     * "no keys at all".
     */
    private static final class LoadTrackingSource implements JWKSetSource<SecurityContext> {

        private final JWKSetSource<SecurityContext> source;
        private volatile boolean loaded;

        LoadTrackingSource(JWKSetSource<SecurityContext> source) {
            this.source = source;
        }

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refresh, long currentTime, SecurityContext context)
                throws KeySourceException {
            JWKSet set = source.getJWKSet(refresh, currentTime, context);
            loaded = true;
            return set;
        }

        boolean loaded() {
            return loaded;
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }
}
