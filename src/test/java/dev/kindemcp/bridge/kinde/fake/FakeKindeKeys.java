package dev.kindemcp.bridge.kinde.fake;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * FakeKinde's RS256 signing keys: one current key that signs, plus retired keys that stay published in the JWKS
 * until they are dropped. Thread-safe.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7517#section-5">RFC 7517 §5 JWK Set Format</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7515#section-4.1.4">RFC 7515 §4.1.4 "kid" (Key ID) Header Parameter</a>
 */
final class FakeKindeKeys {

    private final List<RSAKey> published = new ArrayList<>();
    private RSAKey current;

    FakeKindeKeys() {
        current = generate();
        published.add(current);
    }

    /** A fresh 2048-bit RS256 signing key with a random kid. */
    static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString().replace("-", ""))
                    .algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    synchronized RSAKey current() {
        return current;
    }

    /** Makes a new key current; the previous one stays published. Returns the new kid. */
    synchronized String rotate() {
        current = generate();
        published.add(current);
        return current.getKeyID();
    }

    /** Stops publishing every key but the current one. */
    synchronized void dropRetired() {
        published.removeIf(key -> !key.getKeyID().equals(current.getKeyID()));
    }

    /** The public JWK Set as served at {@code /.well-known/jwks}. */
    synchronized JWKSet publicJwkSet() {
        return new JWKSet(List.<JWK>copyOf(published)).toPublicJWKSet();
    }

    synchronized Optional<RSAKey> published(String kid) {
        return published.stream().filter(key -> key.getKeyID().equals(kid)).findFirst();
    }

    /** The header Kinde puts on its tokens: RS256, the current kid, {@code typ: JWT}. */
    synchronized JWSHeader standardHeader() {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(current.getKeyID()).type(JOSEObjectType.JWT).build();
    }

    /** Signs {@code claims} under {@code header} with the current private key. */
    String sign(JWSHeader header, Map<String, Object> claims) {
        return sign(current(), header, claims);
    }

    /** Signs with any RSA private key, e.g. a foreign key that claims FakeKinde's kid. */
    static String sign(RSAKey key, JWSHeader header, Map<String, Object> claims) {
        JWSObject jws = new JWSObject(header, new Payload(claims));
        try {
            jws.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with " + header.getAlgorithm(), e);
        }
        return jws.serialize();
    }

    /** Whether {@code jws} carries a valid signature by one of the published keys. */
    boolean verify(JWSObject jws) {
        Optional<RSAKey> key = published(jws.getHeader().getKeyID());
        if (key.isEmpty() || !JWSAlgorithm.RS256.equals(jws.getHeader().getAlgorithm())) {
            return false;
        }
        try {
            return jws.verify(new RSASSAVerifier(key.get().toRSAPublicKey()));
        } catch (JOSEException e) {
            return false;
        }
    }
}
