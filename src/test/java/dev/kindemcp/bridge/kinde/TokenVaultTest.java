package dev.kindemcp.bridge.kinde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.config.MasterKeyCipher;
import dev.kindemcp.bridge.store.KindeGrantStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The token vault keeps Kinde tokens only as ciphertext bound to their grant (UP-14, R-TK-8). */
class TokenVaultTest {

    static final class InMemoryGrants implements KindeGrantStore {
        final Map<String, StoredGrant> rows = new HashMap<>();

        @Override
        public void save(StoredGrant grant) {
            rows.put(grant.id(), grant);
        }

        @Override
        public Optional<StoredGrant> find(String id) {
            return Optional.ofNullable(rows.get(id));
        }
    }

    private static MasterKeyCipher cipher(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return new MasterKeyCipher(new SecretKeySpec(key, "AES"));
    }

    private static KindeLogin login() {
        KindeIdentity identity = new KindeIdentity(Optional.of("kp_1"), Optional.of("app"), Optional.of("org_acme"),
                Set.of("read:notes"), Set.of("admin"), Map.of(), Set.of(), Set.of(), Set.of(),
                Instant.parse("2026-01-01T01:00:00Z"), Optional.empty(), Optional.empty());
        return new KindeLogin("kp_1", Optional.of("a@example.com"), identity, new KindeTokens("kinde-access-token-value",
                Optional.of("kinde-refresh-token-value"), Optional.of("kinde-id-token-value"), identity.expiresAt()));
    }

    @Test
    void depositWhenStoredThenOnlyCiphertextAndReadableWithTheMasterKey() {
        InMemoryGrants store = new InMemoryGrants();
        TokenVault vault = new TokenVault(store, cipher(7), Clock.systemUTC());
        String id = vault.deposit(login());
        String stored = store.rows.get(id).tokensEncrypted();
        for (String secret : new String[] {"kinde-access-token-value", "kinde-refresh-token-value", "kinde-id-token"}) {
            assertFalse(stored.contains(secret), "plaintext in the vault row");
        }
        assertEquals(Optional.of("org_acme"), store.rows.get(id).orgCode());
        KindeTokens tokens = vault.tokens(id).orElseThrow();
        assertEquals("kinde-access-token-value", tokens.accessToken());
        assertEquals(Optional.of("kinde-refresh-token-value"), tokens.refreshToken());
        assertTrue(tokens.toString().contains("***") && !tokens.toString().contains("kinde-access"));
    }

    @Test
    void tokensWhenOtherMasterKeyOrOtherGrantThenUnreadable() {
        InMemoryGrants store = new InMemoryGrants();
        String id = new TokenVault(store, cipher(7), Clock.systemUTC()).deposit(login());
        assertThrows(IllegalStateException.class, () -> new TokenVault(store, cipher(8), Clock.systemUTC()).tokens(id));
        KindeGrantStore.StoredGrant original = store.rows.get(id);
        store.save(new KindeGrantStore.StoredGrant("kg_other", original.kindeSubject(), original.orgCode(),
                original.tokensEncrypted(), original.accessExpiresAt(), original.createdAt(), original.updatedAt()));
        assertThrows(IllegalStateException.class,
                () -> new TokenVault(store, cipher(7), Clock.systemUTC()).tokens("kg_other"),
                "a ciphertext moved to another grant does not decrypt");
    }
}
