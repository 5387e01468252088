package dev.kindemcp.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Encryption at rest under the master key (R-TK-8). */
class MasterKeyCipherTest {

    private static MasterKeyCipher cipher(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return new MasterKeyCipher(new SecretKeySpec(key, "AES"));
    }

    @Test
    void decryptWhenSameKeyAndContextThenPlaintext() {
        String sealed = cipher(1).encrypt("private jwk", "signing-key:a");
        assertFalse(sealed.contains("private jwk"));
        assertEquals("private jwk", cipher(1).decrypt(sealed, "signing-key:a"));
    }

    @Test
    void encryptWhenCalledTwiceThenDifferentCiphertexts() {
        assertNotEquals(cipher(1).encrypt("x", "c"), cipher(1).encrypt("x", "c"));
    }

    @Test
    void decryptWhenOtherKeyThenFails() {
        String sealed = cipher(1).encrypt("secret", "c");
        assertThrows(IllegalStateException.class, () -> cipher(2).decrypt(sealed, "c"));
    }

    @Test
    void decryptWhenOtherContextThenFails() {
        String sealed = cipher(1).encrypt("secret", "signing-key:a");
        assertThrows(IllegalStateException.class, () -> cipher(1).decrypt(sealed, "signing-key:b"));
    }

    @Test
    void decryptWhenCiphertextTamperedThenFails() {
        String sealed = cipher(1).encrypt("secret", "c");
        int at = sealed.lastIndexOf('.') - 3;
        char flipped = sealed.charAt(at) == 'A' ? 'B' : 'A';
        String tampered = sealed.substring(0, at) + flipped + sealed.substring(at + 1);
        assertThrows(IllegalStateException.class, () -> cipher(1).decrypt(tampered, "c"));
    }

    private static SecretKeySpec key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return new SecretKeySpec(key, "AES");
    }

    /** A ciphertext as written before master-key fingerprints existed: no kid in the header. */
    private static String unnamed(int fill, String plaintext, String context) throws Exception {
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                .customParam("ctx", context).build(), new Payload(plaintext));
        jwe.encrypt(new DirectEncrypter(key(fill)));
        return jwe.serialize();
    }

    @Test
    void encryptWhenCalledThenHeaderNamesTheKeyByFingerprint() throws Exception {
        MasterKeyCipher one = cipher(1);
        String sealed = one.encrypt("x", "c");
        assertEquals(one.currentKeyId(), JWEObject.parse(sealed).getHeader().getKeyID());
        assertEquals(Optional.of(one.currentKeyId()), one.sealedUnder(sealed));
        assertEquals(16, one.currentKeyId().length());
        assertNotEquals(cipher(1).currentKeyId(), cipher(2).currentKeyId());
        assertEquals(MasterKeyCipher.keyId(key(1)), one.currentKeyId(), "stable across instances");
    }

    @Test
    void decryptWhenSealedUnderAnAdditionalKeyThenPlaintext() {
        String old = cipher(1).encrypt("vault", "kinde-grant:g");
        MasterKeyCipher rotating = new MasterKeyCipher(key(2), List.of(key(1)));
        assertEquals("vault", rotating.decrypt(old, "kinde-grant:g"));
        assertEquals(List.of(MasterKeyCipher.keyId(key(2)), MasterKeyCipher.keyId(key(1))), rotating.acceptedKeyIds());
        assertEquals(Optional.of(MasterKeyCipher.keyId(key(2))), rotating.sealedUnder(rotating.encrypt("n", "c")),
                "new values are written under the current key");
    }

    @Test
    void decryptWhenUnnamedLegacyValueThenEveryAcceptedKeyTried() throws Exception {
        String legacy = unnamed(1, "old", "c");
        assertEquals(Optional.empty(), cipher(1).sealedUnder(legacy));
        assertEquals("old", cipher(1).decrypt(legacy, "c"));
        assertEquals("old", new MasterKeyCipher(key(2), List.of(key(1))).decrypt(legacy, "c"));
        assertThrows(IllegalStateException.class, () -> new MasterKeyCipher(key(2), List.of(key(3)))
                .decrypt(legacy, "c"));
    }

    @Test
    void decryptWhenNamedKeyNotConfiguredThenErrorNamesTheFingerprint() {
        String sealed = cipher(1).encrypt("x", "c");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cipher(2).decrypt(sealed, "c"));
        assertTrue(e.getMessage().contains(MasterKeyCipher.keyId(key(1))), e.getMessage());
    }

    @Test
    void resealWhenOldValueThenUnderCurrentKeyWithTheSameContext() throws Exception {
        MasterKeyCipher rotating = new MasterKeyCipher(key(2), List.of(key(1)));
        for (String old : List.of(cipher(1).encrypt("secret", "signing-key:k"), unnamed(1, "secret", "signing-key:k"))) {
            String resealed = rotating.reseal(old);
            assertEquals(Optional.of(rotating.currentKeyId()), rotating.sealedUnder(resealed));
            assertEquals("secret", cipher(2).decrypt(resealed, "signing-key:k"), "readable with the new key alone");
            assertThrows(IllegalStateException.class, () -> cipher(2).decrypt(resealed, "signing-key:other"),
                    "still bound to its row");
        }
    }

    @Test
    void decryptWhenHeaderKidTamperedThenFails() throws Exception {
        MasterKeyCipher rotating = new MasterKeyCipher(key(2), List.of(key(1)));
        String sealed = cipher(1).encrypt("x", "c");
        String[] parts = sealed.split("\\.", -1);
        String header = new String(java.util.Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)
                .replace(MasterKeyCipher.keyId(key(1)), MasterKeyCipher.keyId(key(2)));
        parts[0] = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> rotating.decrypt(String.join(".", parts), "c"),
                "the header is authenticated: naming another key does not help");
    }
}
