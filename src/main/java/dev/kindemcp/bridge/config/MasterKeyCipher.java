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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Encrypts secrets at rest (private signing keys, Kinde tokens) under the master key with AES-256-GCM, as a
 * compact JWE whose authenticated header binds each ciphertext to the row it belongs to and names the master key
 * by a fingerprint ({@code kid}). Decryption also accepts the additional master keys of a rotation
 * ({@code bridge.additional-master-keys}, issue 15.5); {@link #reseal} moves a ciphertext under the current key.
 * Ciphertexts written before fingerprints existed carry none and are tried with every configured key.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7516#section-3.1">RFC 7516 §3.1 JWE Compact Serialization</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7518#section-4.5">RFC 7518 §4.5 Direct Encryption</a>
 */
@ApplicationScoped
public class MasterKeyCipher {

    private static final String CONTEXT_HEADER = "ctx";

    private final SecretKey key;
    private final String keyId;
    /** Every key decryption accepts, by fingerprint: the current one first. */
    private final Map<String, SecretKey> keys;

    @Inject
    public MasterKeyCipher(BridgeConfig config) {
        this(config.masterKey(), config.additionalMasterKeys());
    }

    public MasterKeyCipher(SecretKey key) {
        this(key, List.of());
    }

    public MasterKeyCipher(SecretKey key, List<SecretKey> additional) {
        this.key = Objects.requireNonNull(key, "key must not be null");
        this.keyId = keyId(key);
        Map<String, SecretKey> all = new LinkedHashMap<>();
        all.put(keyId, key);
        for (SecretKey other : additional) {
            all.putIfAbsent(keyId(other), other);
        }
        this.keys = Collections.unmodifiableMap(all);
    }

    MasterKeyCipher() { // CDI proxy
        this.key = null;
        this.keyId = null;
        this.keys = Map.of();
    }

    /**
     * The fingerprint of a master key: 16 characters of base64url SHA-256 over a label and the key, which names
     * the key in ciphertexts and in the operator's API without revealing anything usable about it.
     */
    public static String keyId(SecretKey key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("kinde-mcp-bridge master key ".getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest(key.getEncoded()))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fingerprint of the key new ciphertexts are written under. */
    public String currentKeyId() {
        return keyId;
    }

    /** The fingerprints of every key decryption accepts, the current one first. */
    public List<String> acceptedKeyIds() {
        return List.copyOf(keys.keySet());
    }

    /**
     * The fingerprint a ciphertext names, or empty when it names none (written before fingerprints); without
     * decrypting anything.
     */
    public Optional<String> sealedUnder(String ciphertext) {
        try {
            return Optional.ofNullable(JWEObject.parse(ciphertext).getHeader().getKeyID());
        } catch (ParseException e) {
            throw new IllegalStateException("not a ciphertext of the master key", e);
        }
    }

    /**
     * {@code ciphertext} decrypted with whichever accepted key it was written under and encrypted again under the
     * current key, for the context its authenticated header names: a master-key rotation moves rows without
     * knowing what they are.
     */
    public String reseal(String ciphertext) {
        try {
            Object context = JWEObject.parse(ciphertext).getHeader().getCustomParam(CONTEXT_HEADER);
            if (!(context instanceof String name)) {
                throw new IllegalStateException("ciphertext names no context");
            }
            return encrypt(decrypt(ciphertext, name), name);
        } catch (ParseException e) {
            throw new IllegalStateException("not a ciphertext of the master key", e);
        }
    }

    /** Encrypts {@code plaintext}; {@code context} names what it is (e.g. {@code signing-key:<kid>}). */
    public String encrypt(String plaintext, String context) {
        JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).keyID(keyId)
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
     * Decrypts a value written by {@link #encrypt} under the current or an additional master key; fails when no
     * accepted key, the context or the ciphertext differ.
     */
    public String decrypt(String ciphertext, String context) {
        JWEObject jwe;
        try {
            jwe = JWEObject.parse(ciphertext);
        } catch (ParseException e) {
            throw new IllegalStateException("cannot decrypt " + context + ": not a ciphertext", e);
        }
        if (!JWEAlgorithm.DIR.equals(jwe.getHeader().getAlgorithm())
                || !EncryptionMethod.A256GCM.equals(jwe.getHeader().getEncryptionMethod())
                || !context.equals(jwe.getHeader().getCustomParam(CONTEXT_HEADER))) {
            throw new IllegalStateException("ciphertext does not belong to " + context);
        }
        String named = jwe.getHeader().getKeyID();
        if (named != null && !keys.containsKey(named)) {
            throw new IllegalStateException("cannot decrypt " + context + ": it was written under master key "
                    + named + ", which is neither bridge.master-key nor one of bridge.additional-master-keys");
        }
        for (SecretKey candidate : named != null ? List.of(keys.get(named)) : keys.values()) {
            try {
                JWEObject attempt = named != null ? jwe : JWEObject.parse(ciphertext);
                attempt.decrypt(new DirectDecrypter(candidate));
                return attempt.getPayload().toString();
            } catch (ParseException | JOSEException e) {
                // the next key, if any
            }
        }
        throw new IllegalStateException("cannot decrypt " + context + " with the configured master key");
    }
}
