package dev.kindemcp.bridge.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.BridgeConfigParser;
import dev.kindemcp.bridge.config.MasterKeyCipher;
import dev.kindemcp.bridge.store.SigningKeyStore;
import dev.kindemcp.bridge.store.StoredSigningKey;
import dev.kindemcp.bridge.testsupport.InMemorySigningKeys;
import dev.kindemcp.bridge.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Key generation, persistence, rotation and publication with an injected clock (MD-03, MD-04, DB-07). */
class SigningKeyServiceTest {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private static BridgeConfig config(String algorithm) {
        Map<String, String> m = new HashMap<>();
        m.put("bridge.dev-mode", "true");
        m.put("bridge.master-key", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=");
        m.put("bridge.signing-algorithm", algorithm);
        m.put("bridge.key-rotation-period", "P1D");
        return BridgeConfigParser.parse(n -> Optional.ofNullable(m.get(n)));
    }

    private final InMemorySigningKeys store = new InMemorySigningKeys();
    private final MutableClock clock = new MutableClock(T0);
    private final BridgeConfig config = config("RS256");

    private SigningKeyService service() {
        return new SigningKeyService(config, store, new MasterKeyCipher(config), clock);
    }

    private static Set<String> kids(JWKSet set) {
        return set.getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet());
    }

    @Test
    void rotateIfDueWhenFirstStartThenCurrentAndNextCreatedAndPublished() {
        SigningKeyService keys = service();
        keys.rotateIfDue();
        assertEquals(2, store.rows.size());
        JWKSet published = keys.publishedKeys();
        assertEquals(2, published.size());
        assertTrue(kids(published).contains(keys.currentKeyId()));
        for (JWK jwk : published.getKeys()) {
            assertFalse(jwk.isPrivate(), "only public halves are published");
            assertEquals("sig", jwk.getKeyUse().identifier());
            assertEquals(JWSAlgorithm.RS256, jwk.getAlgorithm());
        }
    }

    @Test
    void rotateNowWhenNoPreviousKeptThenPublishedNextSignsAndASecondRotationWaitsForTheRetention() {
        SigningKeyService keys = service();
        keys.rotateIfDue();
        String first = keys.currentKeyId();
        java.util.Set<String> publishedBefore = kids(keys.publishedKeys());
        String next = publishedBefore.stream().filter(k -> !k.equals(first)).findFirst().orElseThrow();
        clock.advance(java.time.Duration.ofMinutes(1));

        assertEquals(next, keys.rotateNow(), "the key every instance already publishes signs now");
        java.util.Set<String> publishedAfter = kids(keys.publishedKeys());
        assertTrue(publishedAfter.containsAll(publishedBefore), "the old key stays published: " + publishedAfter);
        assertEquals(3, publishedAfter.size(), "previous, current and a new next: " + publishedAfter);

        SigningKeyService.RotationRefused refused = assertThrows(SigningKeyService.RotationRefused.class, keys::rotateNow);
        assertEquals(clock.instant().plus(config("RS256").previousKeyRetention()), refused.possibleAt());
        clock.advance(config("RS256").previousKeyRetention().plusSeconds(1));
        String third = keys.rotateNow();
        assertTrue(!third.equals(next) && !third.equals(first), "rotates again once the old key's tokens expired");
        assertTrue(!kids(keys.publishedKeys()).contains(first), "the first key is gone");
    }

    @Test
    void storeWhenKeysSavedThenPrivatePartOnlyEncrypted() {
        service().rotateIfDue();
        for (StoredSigningKey row : store.rows) {
            assertFalse(row.publicJwk().contains("\"d\""));
            assertFalse(row.privateJwkEncrypted().contains("\"d\""));
            assertEquals(5, row.privateJwkEncrypted().split("\\.", -1).length, "compact JWE");
        }
    }

    @Test
    void signWhenCurrentKeyThenVerifiesWithPublishedKeyAndCarriesTypAndKid() throws Exception {
        SigningKeyService keys = service();
        keys.rotateIfDue();
        SignedJWT jwt = keys.sign(new JWTClaimsSet.Builder().subject("u1").build(), new JOSEObjectType("at+jwt"));
        assertEquals("at+jwt", jwt.getHeader().getType().getType());
        assertEquals(keys.currentKeyId(), jwt.getHeader().getKeyID());
        JWK publicKey = keys.publishedKeys().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertTrue(SignedJWT.parse(jwt.serialize()).verify(new RSASSAVerifier(publicKey.toRSAKey())));
    }

    @Test
    void restartWhenKeysStoredThenSameKeysReusedNotRegenerated() {
        SigningKeyService first = service();
        first.rotateIfDue();
        String current = first.currentKeyId();
        Set<String> published = kids(first.publishedKeys());
        SigningKeyService second = service();
        second.rotateIfDue();
        assertEquals(current, second.currentKeyId());
        assertEquals(published, kids(second.publishedKeys()));
        assertEquals(1, store.modifications, "the second start changed nothing");
    }

    @Test
    void rotateIfDueWhenPeriodPassesThenNextSignsPreviousStaysUntilRetentionThenRemoved() throws Exception {
        SigningKeyService keys = service();
        keys.rotateIfDue();
        String first = keys.currentKeyId();
        SignedJWT oldToken = keys.sign(new JWTClaimsSet.Builder().subject("u").build(), JOSEObjectType.JWT);
        String next = kids(keys.publishedKeys()).stream().filter(k -> !k.equals(first)).findFirst().orElseThrow();

        clock.advance(Duration.ofDays(1));
        keys.rotateIfDue();
        assertEquals(next, keys.currentKeyId(), "the published next key signs after one period");
        Set<String> afterRotation = kids(keys.publishedKeys());
        assertEquals(3, afterRotation.size(), "current, new next and previous");
        assertTrue(afterRotation.contains(first), "previous key still verifies older tokens");
        JWK previous = keys.publishedKeys().getKeyByKeyId(oldToken.getHeader().getKeyID());
        assertTrue(oldToken.verify(new RSASSAVerifier(previous.toRSAKey())));

        clock.advance(config.previousKeyRetention());
        keys.rotateIfDue();
        assertNull(keys.publishedKeys().getKeyByKeyId(first), "retired after every token it signed expired");
        assertEquals(2, keys.publishedKeys().size());
        assertFalse(store.rows.stream().anyMatch(r -> r.kid().equals(first)), "deleted from the store");
    }

    @Test
    void signWhenNextActivationPassesWithoutSchedulerThenSnapshotReloadsByItself() {
        SigningKeyService keys = service();
        keys.rotateIfDue();
        String first = keys.currentKeyId();
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertNotEquals(first, keys.currentKeyId());
    }

    @Test
    void rotateIfDueWhenEs256ConfiguredThenEcKeysSignAndVerify() throws Exception {
        BridgeConfig ec = config("ES256");
        SigningKeyService keys = new SigningKeyService(ec, store, new MasterKeyCipher(ec), clock);
        keys.rotateIfDue();
        SignedJWT jwt = keys.sign(new JWTClaimsSet.Builder().subject("u").build(), JOSEObjectType.JWT);
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertTrue(jwt.verify(new ECDSAVerifier(keys.publishedKeys().getKeyByKeyId(keys.currentKeyId()).toECKey())));
    }

    @Test
    void publishedKeysWhenDatabaseFailsAfterLoadThenKeepsServingLoadedKeys() {
        SigningKeyService keys = new SigningKeyService(config, new SigningKeyStore() {
            int calls;

            @Override
            public List<StoredSigningKey> findAll() {
                if (calls++ > 1) {
                    throw new IllegalStateException("database down");
                }
                return store.findAll();
            }

            @Override
            public List<StoredSigningKey> modify(Function<List<StoredSigningKey>, KeyChanges> change) {
                return store.modify(change);
            }
        }, new MasterKeyCipher(config), clock);
        keys.rotateIfDue();
        String current = keys.currentKeyId();
        clock.advance(SigningKeyService.RELOAD_INTERVAL.plusSeconds(1));
        assertEquals(current, keys.currentKeyId());
        assertEquals(2, keys.publishedKeys().size());
    }
}
