package dev.kindemcp.bridge.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.JWKGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.ConfigurationException;
import dev.kindemcp.bridge.config.MasterKeyCipher;
import dev.kindemcp.bridge.keys.KeyRotationPolicy.KeyPlan;
import dev.kindemcp.bridge.keys.KeyRotationPolicy.KeyTimeline;
import dev.kindemcp.bridge.store.SigningKeyStore;
import dev.kindemcp.bridge.store.SigningKeyStore.KeyChanges;
import dev.kindemcp.bridge.store.StoredSigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Owns the bridge's signing keys: creates them on first start, rotates them on the schedule of
 * {@link KeyRotationPolicy} under a cluster-wide lock, signs with the current key, and publishes the current,
 * next and previous public keys. The only class that handles private keys.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.1">RFC 9068 §2.1 Header (typ at+jwt)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7517#section-5">RFC 7517 §5 JWK Set Format</a>
 */
@ApplicationScoped
public class SigningKeyService {

    private static final Logger LOG = Logger.getLogger(SigningKeyService.class.getName());

    /** How long a snapshot of the keys is trusted before it is read again (other instances may rotate). */
    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(60);

    private final BridgeConfig config;
    private final SigningKeyStore store;
    private final MasterKeyCipher cipher;
    private final Clock clock;
    private final KeyRotationPolicy policy;
    private volatile KeyRing ring;

    /** The audit trail (issue 15.3); absent when built without CDI (unit tests). */
    @Inject
    dev.kindemcp.bridge.audit.AuditLog audit;

    @Inject
    public SigningKeyService(BridgeConfig config, SigningKeyStore store, MasterKeyCipher cipher, Clock clock) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.cipher = Objects.requireNonNull(cipher, "cipher must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.policy = new KeyRotationPolicy(config.keyRotationPeriod(), config.previousKeyRetention());
    }

    SigningKeyService() { // CDI proxy
        this.config = null;
        this.store = null;
        this.cipher = null;
        this.clock = null;
        this.policy = null;
    }

    /** The keys in use now, read from a snapshot that is refreshed and rotated when due. */
    private record KeyRing(JWK current, JWKSet published, Instant reloadAt) {
    }

    /**
     * Creates, promotes and retires keys as the schedule says; safe to call from every instance at once.
     */
    public void rotateIfDue() {
        Instant now = clock.instant();
        List<StoredSigningKey> stored = store.findAll();
        if (!policy.plan(timelines(stored), now).changesNothing()) {
            stored = store.modify(locked -> changes(locked, clock.instant()));
        }
        ring = load(stored, clock.instant());
    }

    /**
     * Rotates now, on an operator's request (issue 15.5): the next key, which every instance has published since
     * it was created, signs from now on (the others switch at their next reload, within 60 s, and meanwhile their
     * tokens carry a key that stays published), the current key becomes the previous one, and a new next key is
     * created. Refused while a previous key is still kept for the tokens it signed, because a second rotation
     * then would retire it early and invalidate those tokens.
     *
     * @return the kid that signs now
     * @throws RotationRefused when a previous key is still kept, with the time from which rotating is possible
     */
    public String rotateNow() {
        Instant now = clock.instant();
        List<StoredSigningKey> stored = store.modify(locked -> {
            KeyPlan plan = policy.plan(timelines(locked), now);
            Instant currentSince = locked.stream().filter(k -> k.kid().equals(plan.current().orElseThrow()))
                    .findFirst().orElseThrow().activatesAt();
            if (plan.previous().isPresent()) {
                throw new RotationRefused(currentSince.plus(config.previousKeyRetention()));
            }
            String next = plan.next().orElseThrow(() -> new IllegalStateException("no next signing key"));
            // strictly after the current key's activation, so that the order of the two is never a tie
            Instant at = now.isAfter(currentSince) ? now : currentSince.plusMillis(1);
            List<StoredSigningKey> promoted = locked.stream().map(k -> k.kid().equals(next)
                    ? new StoredSigningKey(k.kid(), k.algorithm(), k.publicJwk(), k.privateJwkEncrypted(), k.createdAt(), at)
                    : k).toList();
            KeyChanges scheduled = changes(promoted, at);
            LOG.info(() -> "signing key " + next + " signs from now on, on an operator's request");
            audit("key_rotation", "success", "actor", "operator", "kid", next);
            return new KeyChanges(scheduled.add(), scheduled.removeKids(), Map.of(next, at));
        });
        ring = load(stored, clock.instant());
        return currentKeyId();
    }

    /** A rotation on request refused because the previous key is still kept; possible from {@link #possibleAt()}. */
    public static final class RotationRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Instant possibleAt;

        RotationRefused(Instant possibleAt) {
            super("the previous signing key is kept until " + possibleAt + " for the tokens it signed");
            this.possibleAt = possibleAt;
        }

        public Instant possibleAt() {
            return possibleAt;
        }
    }

    /** Signs {@code claims} with the current key; {@code type} is the JOSE {@code typ} header (e.g. at+jwt). */
    public SignedJWT sign(JWTClaimsSet claims, JOSEObjectType type) {
        JWK key = ring().current();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(key.getAlgorithm().getName()))
                .type(type).keyID(key.getKeyID()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            JWSSigner signer = new DefaultJWSSignerFactory().createJWSSigner(key);
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing with key " + key.getKeyID() + " failed", e);
        }
        return jwt;
    }

    /** The JWK Set of the public halves of the current, next and previous keys. */
    public JWKSet publishedKeys() {
        return ring().published();
    }

    /** The key id that signs now. */
    public String currentKeyId() {
        return ring().current().getKeyID();
    }

    private KeyRing ring() {
        KeyRing snapshot = ring;
        if (snapshot == null || !clock.instant().isBefore(snapshot.reloadAt())) {
            synchronized (this) {
                snapshot = ring;
                if (snapshot == null || !clock.instant().isBefore(snapshot.reloadAt())) {
                    try {
                        rotateIfDue();
                    } catch (RuntimeException e) {
                        if (snapshot == null) {
                            throw e;
                        }
                        // The keys in hand stay valid while the database is away; try again shortly.
                        LOG.warning(() -> "cannot reload signing keys, keeping the loaded ones: " + e);
                        ring = new KeyRing(snapshot.current(), snapshot.published(),
                                clock.instant().plusSeconds(10));
                    }
                    snapshot = ring;
                }
            }
        }
        return snapshot;
    }

    private KeyChanges changes(List<StoredSigningKey> locked, Instant now) {
        KeyPlan plan = policy.plan(timelines(locked), now);
        List<StoredSigningKey> created = new ArrayList<>();
        for (Instant activatesAt : plan.create()) {
            created.add(generate(now, activatesAt));
        }
        plan.delete().forEach(kid -> LOG.info(() -> "retiring signing key " + kid));
        created.forEach(k -> LOG.info(() -> "created signing key " + k.kid() + " (" + k.algorithm()
                + "), signing from " + k.activatesAt()));
        plan.delete().forEach(kid -> audit("key_retired", "success", "kid", kid));
        created.forEach(k -> audit("key_created", "success", "kid", k.kid(), "signs_from", k.activatesAt()));
        return new KeyChanges(created, plan.delete());
    }

    private KeyRing load(List<StoredSigningKey> stored, Instant now) {
        KeyPlan plan = policy.plan(timelines(stored), now);
        String currentKid = plan.current().orElseThrow(() -> new IllegalStateException("no active signing key"));
        Map<String, StoredSigningKey> byKid = stored.stream()
                .collect(Collectors.toMap(StoredSigningKey::kid, Function.identity()));
        JWK current = parse(decryptPrivateKey(byKid.get(currentKid)));
        List<JWK> published = new ArrayList<>();
        for (String kid : new String[] {plan.next().orElse(null), currentKid, plan.previous().orElse(null)}) {
            if (kid != null) {
                published.add(parse(byKid.get(kid).publicJwk()));
            }
        }
        Instant reloadAt = now.plus(RELOAD_INTERVAL);
        if (plan.next().isPresent()) {
            Instant nextActivation = byKid.get(plan.next().get()).activatesAt();
            if (nextActivation.isBefore(reloadAt)) {
                reloadAt = nextActivation;
            }
        }
        return new KeyRing(current, new JWKSet(published), reloadAt);
    }

    private String decryptPrivateKey(StoredSigningKey key) {
        try {
            return cipher.decrypt(key.privateJwkEncrypted(), context(key.kid()));
        } catch (IllegalStateException e) {
            throw new ConfigurationException("bridge.master-key", "the signing keys stored in the database cannot be "
                    + "decrypted with this key: the database was created with another master key (development mode "
                    + "without BRIDGE_MASTER_KEY uses a public one). Set the master key the database was created "
                    + "with (while rotating, keep it in BRIDGE_ADDITIONAL_MASTER_KEYS), or start from an empty "
                    + "database (mvn clean removes the embedded one of mvn -Prun)");
        }
    }

    private StoredSigningKey generate(Instant now, Instant activatesAt) {
        JWSAlgorithm alg = config.signingAlgorithm();
        JWKGenerator<? extends JWK> generator = JWSAlgorithm.Family.EC.contains(alg)
                ? new ECKeyGenerator(Curve.P_256)
                : new RSAKeyGenerator(2048);
        try {
            JWK jwk = generator.keyUse(KeyUse.SIGNATURE).algorithm(alg).keyIDFromThumbprint(true).generate();
            String kid = jwk.getKeyID();
            return new StoredSigningKey(kid, alg.getName(), jwk.toPublicJWK().toJSONString(),
                    cipher.encrypt(jwk.toJSONString(), context(kid)), now, activatesAt);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + alg + " signing key", e);
        }
    }

    private static JWK parse(String json) {
        try {
            return JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("stored signing key is not a valid JWK", e);
        }
    }

    private static String context(String kid) {
        return "signing-key:" + kid;
    }

    private static List<KeyTimeline> timelines(List<StoredSigningKey> stored) {
        return stored.stream().map(k -> new KeyTimeline(k.kid(), k.activatesAt())).toList();
    }

    private void audit(String event, String outcome, Object... fields) {
        if (audit != null) {
            audit.record(event, outcome, fields);
        }
    }
}
