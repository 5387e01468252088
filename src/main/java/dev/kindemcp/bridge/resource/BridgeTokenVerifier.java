package dev.kindemcp.bridge.resource;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.keys.SigningKeyService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the bridge's own access tokens: a JWS of type {@code at+jwt}, signed with the configured algorithm by
 * a key the bridge publishes, issued by the bridge, unexpired (30 s skew), with {@code sub}, {@code client_id},
 * {@code jti} and, when asked, exactly the expected audience. Anything else (Kinde tokens, JWE, unsigned
 * tokens, foreign keys) is rejected.
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

    private final BridgeConfig config;
    private final SigningKeyService keys;
    private final Clock clock;

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
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                    JWSAlgorithm.parse(config.signingAlgorithm().getName()), new ImmutableJWKSet<>(keys.publishedKeys())));
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
            return Optional.of(verified);
        } catch (java.text.ParseException | BadJOSEException | com.nimbusds.jose.JOSEException | RuntimeException
                | StackOverflowError e) {
            return Optional.empty();
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
