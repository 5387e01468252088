package dev.kindemcp.bridge.config;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * Encrypts secrets at rest (private signing keys, Kinde tokens) under the master key with AES-256-GCM, as a
 * compact JWE whose authenticated header binds each ciphertext to the row it belongs to.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7516#section-3.1">RFC 7516 §3.1 JWE Compact Serialization</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7518#section-4.5">RFC 7518 §4.5 Direct Encryption</a>
 */
@ApplicationScoped
public class MasterKeyCipher {

    private static final String CONTEXT_HEADER = "ctx";

    private final SecretKey key;

    @Inject
    public MasterKeyCipher(BridgeConfig config) {
        this(config.masterKey());
    }

    public MasterKeyCipher(SecretKey key) {
        this.key = Objects.requireNonNull(key, "key must not be null");
    }

    MasterKeyCipher() { // CDI proxy
        this.key = null;
    }

    /** Encrypts {@code plaintext}; {@code context} names what it is (e.g. {@code signing-key:<kid>}). */
    public String encrypt(String plaintext, String context) {
        JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                .customParam(CONTEXT_HEADER, context).build();
        JWEObject jwe = new JWEObject(header, new Payload(plaintext));
        try {
            jwe.encrypt(new DirectEncrypter(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("encryption under the master key failed", e);
        }
        return jwe.serialize();
    }

    /**
     * Decrypts a value written by {@link #encrypt}; fails when the key, the context or the ciphertext differ.
     */
    public String decrypt(String ciphertext, String context) {
        try {
            JWEObject jwe = JWEObject.parse(ciphertext);
            if (!JWEAlgorithm.DIR.equals(jwe.getHeader().getAlgorithm())
                    || !EncryptionMethod.A256GCM.equals(jwe.getHeader().getEncryptionMethod())
                    || !context.equals(jwe.getHeader().getCustomParam(CONTEXT_HEADER))) {
                throw new IllegalStateException("ciphertext does not belong to " + context);
            }
            jwe.decrypt(new DirectDecrypter(key));
            return jwe.getPayload().toString();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot decrypt " + context + " with the configured master key", e);
        }
    }
}
