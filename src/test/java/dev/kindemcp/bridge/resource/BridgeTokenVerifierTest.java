package dev.kindemcp.bridge.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.PasswordBasedEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.BridgeConfigParser;
import dev.kindemcp.bridge.config.MasterKeyCipher;
import dev.kindemcp.bridge.keys.SigningKeyService;
import dev.kindemcp.bridge.testsupport.InMemorySigningKeys;
import dev.kindemcp.bridge.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checks on bridge access tokens at the MCP endpoint (RS-02..RS-14, RS-17, RS-18). */
class BridgeTokenVerifierTest {

    static final String AUD = "https://mcp.example.com/mcp";
    static final Instant NOW = Instant.parse("2026-07-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private SigningKeyService keys;
    private BridgeTokenVerifier verifier;

    @BeforeEach
    void setUp() {
        Map<String, String> m = new HashMap<>();
        m.put("bridge.dev-mode", "true");
        m.put("bridge.issuer", "https://mcp.example.com");
        m.put("bridge.master-key", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=");
        BridgeConfig config = BridgeConfigParser.parse(n -> Optional.ofNullable(m.get(n)));
        keys = new SigningKeyService(config, new InMemorySigningKeys(), new MasterKeyCipher(config), clock);
        keys.rotateIfDue();
        verifier = new BridgeTokenVerifier(config, keys, clock);
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer("https://mcp.example.com").subject("kp_1").audience(AUD)
                .claim("client_id", "dcr_1").jwtID("j1").issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(600)));
    }

    private String good(JWTClaimsSet c) {
        return keys.sign(c, new JOSEObjectType("at+jwt")).serialize();
    }

    private boolean accepted(String token) {
        return verifier.verify(token, Optional.of(AUD)).isPresent();
    }

    @Test
    void verifyWhenBridgeTokenForThisResourceThenClaims() {
        assertEquals("kp_1", verifier.verify(good(claims().build()), Optional.of(AUD)).orElseThrow().getSubject());
    }

    /** RS-02, RS-03, RS-04, RS-05, RS-06, RS-08. */
    @Test
    void verifyWhenMalformedUnsignedOrForeignSignedThenRejected() throws Exception {
        for (String garbage : List.of("", "abc", "a.b", "!!.??.##", "x".repeat(20_000))) {
            assertTrue(!accepted(garbage), garbage.length() > 20 ? "long" : garbage);
        }
        assertTrue(!accepted(new PlainJWT(claims().build()).serialize()), "alg none");
        RSAKey ours = keys.publishedKeys().getKeyByKeyId(keys.currentKeyId()).toRSAKey();
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(ours.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims().build());
        hs.sign(new MACSigner(ours.toPublicKey().getEncoded()));
        assertTrue(!accepted(hs.serialize()), "HS256 with the public key bytes");
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(ours.getKeyID()).generate();
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS512, JWSAlgorithm.PS256)) {
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(alg).keyID(ours.getKeyID())
                    .type(new JOSEObjectType("at+jwt")).jwk(attacker.toPublicJWK()).build(), claims().build());
            forged.sign(new RSASSASigner(attacker));
            assertTrue(!accepted(forged.serialize()), "attacker key, " + alg + ", embedded jwk");
        }
    }

    /** RS-07, RS-14, RS-18. */
    @Test
    void verifyWhenKidInjectionCritOrJweThenRejected() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).generate();
        for (String kid : List.of("../../../../dev/null", "' OR '1'='1", "k".repeat(10_000))) {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid)
                    .type(new JOSEObjectType("at+jwt")).build(), claims().build());
            jwt.sign(new RSASSASigner(attacker));
            assertTrue(!accepted(jwt.serialize()));
        }
        EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.PBES2_HS256_A128KW, EncryptionMethod.A128GCM),
                claims().build());
        jwe.encrypt(new PasswordBasedEncrypter("password-password", 16, 1000));
        assertTrue(!accepted(jwe.serialize()), "JWE is never processed");
    }

    /** RS-10, RS-11, RS-12, RS-13. */
    @Test
    void verifyWhenClaimsOrTypeWrongThenRejected() {
        assertTrue(!accepted(good(claims().audience("https://other.example/mcp").build())), "other audience");
        assertTrue(!accepted(good(claims().audience(List.of(AUD, "https://evil.example")).build())), "extra audience");
        assertTrue(!accepted(good(claims().issuer("https://evil.example").build())), "issuer");
        assertTrue(!accepted(keys.sign(claims().build(), JOSEObjectType.JWT).serialize()), "typ JWT");
        assertTrue(!accepted(keys.sign(claims().build(), null).serialize()), "no typ");
        assertTrue(!accepted(good(claims().expirationTime(Date.from(NOW.minusSeconds(31))).build())), "expired");
        assertTrue(accepted(good(claims().expirationTime(Date.from(NOW.minusSeconds(20))).build())), "within skew");
        assertTrue(!accepted(good(claims().expirationTime(null).build())), "no exp");
        for (String missing : List.of("sub", "client_id", "jti")) {
            JWTClaimsSet.Builder b = claims();
            b.claim(missing, null);
            assertTrue(!accepted(good(b.build())), "missing " + missing);
        }
        clock.advance(Duration.ofMinutes(11));
        assertTrue(!accepted(good(claims().build())), "expired by the clock");
    }

    /** RS-17: a deeply nested claim does not crash the verifier. */
    @Test
    void verifyWhenClaimDeeplyNestedThenRejectedWithoutCrash() {
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}".getBytes());
        String body = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}").getBytes());
        assertTrue(!accepted(header + "." + body + ".c2ln"));
    }

    /** MD-04: after a rotation, tokens of the previous key are still accepted until they expire. */
    @Test
    void verifyWhenKeyRotatedThenPreviousKeysTokensAcceptedUntilExp() {
        clock.advance(Duration.ofDays(30).minusMinutes(2));
        keys.rotateIfDue();
        String oldKid = keys.currentKeyId();
        Instant minted = clock.instant();
        String token = good(claims().issueTime(Date.from(minted)).expirationTime(Date.from(minted.plusSeconds(600)))
                .build());
        clock.advance(Duration.ofMinutes(4));
        keys.rotateIfDue();
        assertTrue(!oldKid.equals(keys.currentKeyId()), "the next key signs now");
        assertTrue(accepted(token), "a token of the previous key before its exp");
        clock.advance(Duration.ofMinutes(7));
        keys.rotateIfDue();
        assertTrue(!accepted(token), "and not after it");
    }

    /** RS-19: with ES256 configured, an ECDSA signature with r = s = 0 (CVE-2022-21449) is refused. */
    @Test
    void verifyWhenEs256SignatureIsZeroThenRejected() {
        Map<String, String> m = new HashMap<>();
        m.put("bridge.dev-mode", "true");
        m.put("bridge.issuer", "https://mcp.example.com");
        m.put("bridge.master-key", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=");
        m.put("bridge.signing-algorithm", "ES256");
        BridgeConfig config = BridgeConfigParser.parse(n -> Optional.ofNullable(m.get(n)));
        SigningKeyService ecKeys = new SigningKeyService(config, new InMemorySigningKeys(), new MasterKeyCipher(config), clock);
        ecKeys.rotateIfDue();
        BridgeTokenVerifier ec = new BridgeTokenVerifier(config, ecKeys, clock);
        String valid = ecKeys.sign(claims().build(), new JOSEObjectType("at+jwt")).serialize();
        assertTrue(ec.verify(valid, Optional.of(AUD)).isPresent(), "a real ES256 token");
        String[] parts = valid.split("\\.");
        String zero = parts[0] + "." + parts[1] + "." + com.nimbusds.jose.util.Base64URL.encode(new byte[64]);
        assertTrue(ec.verify(zero, Optional.of(AUD)).isEmpty(), "r = s = 0");
    }

    /** Issue 16: a remembered token still expires, still needs the audience, and a changed token is not it. */
    @Test
    void verifyWhenTokenRememberedThenExpiryAndAudienceStillChecked() {
        String token = good(claims().build());
        assertTrue(accepted(token), "first use: verified and remembered");
        assertTrue(accepted(token), "second use: from the cache");
        assertTrue(verifier.verify(token, Optional.of("https://other.example/mcp")).isEmpty(),
                "another audience, although remembered");
        int at = token.lastIndexOf('.') + 5;
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertTrue(!accepted(tampered), "one signature character changed");
        clock.advance(java.time.Duration.ofSeconds(600 + BridgeTokenVerifier.CLOCK_SKEW_SECONDS + 1));
        assertTrue(!accepted(token), "expired, although remembered");
    }

    /** Issue 16: a token not yet valid (nbf beyond the skew) is refused, remembered or not. */
    @Test
    void verifyWhenRememberedTokenIsNotYetValidThenRefusedUntilItIs() {
        String token = good(claims().notBeforeTime(Date.from(NOW.plusSeconds(5))).build());
        assertTrue(accepted(token), "5 s ahead is within the 30 s skew");
        String later = good(claims().jwtID("j2").notBeforeTime(Date.from(NOW.plusSeconds(120))).build());
        assertTrue(!accepted(later), "2 minutes ahead");
        clock.advance(java.time.Duration.ofSeconds(100));
        assertTrue(accepted(later), "now within the skew");
    }
}
