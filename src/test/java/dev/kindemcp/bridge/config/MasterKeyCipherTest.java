package dev.kindemcp.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
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
}
