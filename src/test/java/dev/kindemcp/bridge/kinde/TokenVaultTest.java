package dev.kindemcp.bridge.kinde;

import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ALICE_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.API_AUDIENCE;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.M2M_CLIENT_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.M2M_CLIENT_SECRET;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ORG_ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.config.MasterKeyCipher;
import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.store.KindeGrantStore;
import dev.kindemcp.bridge.testsupport.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token vault keeps Kinde tokens only as ciphertext bound to their grant (UP-14, R-TK-8) and hands the tool
 * layer a current Kinde access token: refreshed against FakeKinde shortly before expiry, one refresh per grant
 * however many callers wait (RFC 6749 §6), and a grant Kinde revoked is deleted and reported (UP-15).
 */
class TokenVaultTest {

    /** Kinde access tokens live five minutes in these tests, so that the clock can reach their expiry. */
    private static final Duration LIFETIME = Duration.ofMinutes(5);

    static final class InMemoryGrants implements KindeGrantStore {

        private final Map<String, Object> rowLocks = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public <T> T underLock(String id, java.util.function.Function<Optional<StoredGrant>, T> work) {
            synchronized (rowLocks.computeIfAbsent(id, k -> new Object())) {
                return work.apply(find(id));
            }
        }

        final Map<String, StoredGrant> rows = new ConcurrentHashMap<>();

        @Override
        public void save(StoredGrant grant) {
            rows.put(grant.id(), grant);
        }

        @Override
        public Optional<StoredGrant> find(String id) {
            return Optional.ofNullable(rows.get(id));
        }

        @Override
        public boolean updateTokens(String id, String tokensEncrypted, Instant accessExpiresAt, Instant updatedAt) {
            return rows.computeIfPresent(id, (key, g) -> new StoredGrant(g.id(), g.kindeSubject(), g.orgCode(),
                    tokensEncrypted, accessExpiresAt, g.createdAt(), updatedAt)) != null;
        }

        @Override
        public boolean revokeByGrantId(String id) {
            return rows.remove(id) != null;
        }
    }

    private FakeKinde kinde;
    private MutableClock clock;
    private KindeGateway gateway;
    private InMemoryGrants store;
    private TokenVault vault;

    @BeforeEach
    void start() {
        kinde = FakeKinde.start();
        clock = new MutableClock(Instant.now());
        kinde.setClock(clock);
        kinde.setAccessTokenLifetime(LIFETIME);
        gateway = TestKindeGateways.gateway(kinde, clock);
        store = new InMemoryGrants();
        vault = new TokenVault(store, cipher(7), gateway, clock);
    }

    @AfterEach
    void stop() {
        kinde.close();
    }

    private static MasterKeyCipher cipher(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return new MasterKeyCipher(new SecretKeySpec(key, "AES"));
    }

    private static TokenVault offlineVault(KindeGrantStore store, MasterKeyCipher cipher) {
        return new TokenVault(store, cipher, TestKindeGateways.unconfigured(Clock.systemUTC()), Clock.systemUTC());
    }

    private static KindeLogin fixedLogin() {
        KindeIdentity identity = new KindeIdentity(Optional.of("kp_1"), Optional.of("app"), Optional.of("org_acme"),
                Set.of("read:notes"), Set.of("admin"), Map.of(), Set.of(), Set.of(), Set.of(),
                Instant.parse("2026-01-01T01:00:00Z"), Optional.empty(), Optional.empty());
        return new KindeLogin("kp_1", Optional.of("a@example.com"), identity, new KindeTokens("kinde-access-token-value",
                Optional.of("kinde-refresh-token-value"), Optional.of("kinde-id-token-value"), identity.expiresAt()));
    }

    /** Alice logs in at FakeKinde; her tokens go into the vault. */
    private KindeLogin aliceLogin() {
        return TestKindeGateways.login(kinde, gateway, ALICE_ID, ORG_ACME);
    }

    private int refreshRequests() {
        return (int) kinde.requests().stream().filter(r -> r.path().equals(FakeKinde.TOKEN_PATH))
                .filter(r -> r.formParam("grant_type").equals(Optional.of("refresh_token"))).count();
    }

    /** Moves the clock to {@code before} ahead of the access token's expiry. */
    private void advanceTo(KindeTokens tokens, Duration before) {
        clock.advance(Duration.between(clock.instant(), tokens.accessExpiresAt().minus(before)));
    }

    private void assertOnlyCiphertext(String grantId, String... secrets) {
        String stored = store.rows.get(grantId).tokensEncrypted();
        for (String secret : secrets) {
            assertFalse(stored.contains(secret), "plaintext in the vault row");
        }
    }


    @Test
    void depositWhenStoredThenOnlyCiphertextAndReadableWithTheMasterKey() {
        TokenVault offline = offlineVault(store, cipher(7));
        String id = offline.deposit(fixedLogin());
        assertOnlyCiphertext(id, "kinde-access-token-value", "kinde-refresh-token-value", "kinde-id-token");
        assertEquals(Optional.of("org_acme"), store.rows.get(id).orgCode());
        KindeTokens tokens = offline.tokens(id).orElseThrow();
        assertEquals("kinde-access-token-value", tokens.accessToken());
        assertEquals(Optional.of("kinde-refresh-token-value"), tokens.refreshToken());
        assertTrue(tokens.toString().contains("***") && !tokens.toString().contains("kinde-access"));
    }

    @Test
    void tokensWhenOtherMasterKeyOrOtherGrantThenUnreadable() {
        String id = offlineVault(store, cipher(7)).deposit(fixedLogin());
        assertThrows(IllegalStateException.class, () -> offlineVault(store, cipher(8)).tokens(id));
        KindeGrantStore.StoredGrant original = store.rows.get(id);
        store.save(new KindeGrantStore.StoredGrant("kg_other", original.kindeSubject(), original.orgCode(),
                original.tokensEncrypted(), original.accessExpiresAt(), original.createdAt(), original.updatedAt()));
        assertThrows(IllegalStateException.class, () -> offlineVault(store, cipher(7)).tokens("kg_other"),
                "a ciphertext moved to another grant does not decrypt");
    }

    @Test
    void updateWhenGrantExistsThenNewTokensStoredEncrypted() {
        String id = offlineVault(store, cipher(7)).deposit(fixedLogin());
        Instant expiry = Instant.parse("2026-01-01T02:00:00Z");

        offlineVault(store, cipher(7)).update(id, new KindeTokens("next-access-token-value",
                Optional.of("next-refresh-token-value"), Optional.empty(), expiry));

        KindeTokens tokens = offlineVault(store, cipher(7)).tokens(id).orElseThrow();
        assertEquals("next-access-token-value", tokens.accessToken());
        assertEquals(Optional.of("next-refresh-token-value"), tokens.refreshToken());
        assertEquals(expiry, store.rows.get(id).accessExpiresAt());
        assertEquals(Optional.of("kp_1"), store.rows.get(id).kindeSubject());
        assertOnlyCiphertext(id, "next-access-token-value", "next-refresh-token-value");
    }

    @Test
    void updateWhenGrantRevokedThenUnknownAndNotRecreated() {
        KindeTokens tokens = fixedLogin().tokens();

        KindeGrantException e = assertThrows(KindeGrantException.class,
                () -> offlineVault(store, cipher(7)).update("kg_revoked", tokens));

        assertEquals(KindeGrantException.Reason.UNKNOWN, e.reason());
        assertTrue(store.rows.isEmpty());
    }


    /** Tools read the organisation's feature flags from the stored Kinde access token. */
    @Test
    void identityWhenGrantStoredThenKindeClaimsOfItsAccessTokenWithFeatureFlags() {
        String id = vault.deposit(aliceLogin());
        KindeIdentity identity = vault.identity(id).orElseThrow();
        assertEquals(Optional.of(ALICE_ID), identity.subject());
        assertEquals(Optional.of(true), identity.featureFlags().get("notes_v2").booleanValue());
        assertEquals(Optional.of(100L), identity.featureFlags().get("max_notes").longValue());
        assertEquals(Optional.empty(), vault.identity("no-such-grant"));
    }

    @Test
    void currentAccessTokenWhenTokenValidBeyondTheMarginThenStoredTokenWithoutCallingKinde() {
        KindeLogin login = aliceLogin();
        String id = vault.deposit(login);
        advanceTo(login.tokens(), TokenVault.REFRESH_MARGIN.plusSeconds(1));

        assertEquals(login.tokens().accessToken(), vault.currentAccessToken(id));
        assertEquals(login.tokens().accessToken(), vault.currentAccessToken(id));

        assertEquals(0, refreshRequests());
    }

    @Test
    void currentAccessTokenWhenExpiringWithinTheMarginThenRefreshedAndStoredEncrypted() {
        kinde.setReuseValidAccessTokenOnRefresh(false);
        KindeLogin login = aliceLogin();
        String id = vault.deposit(login);
        advanceTo(login.tokens(), TokenVault.REFRESH_MARGIN.minusSeconds(1));

        String current = vault.currentAccessToken(id);

        assertNotEquals(login.tokens().accessToken(), current);
        assertEquals(1, refreshRequests());
        assertEquals(Optional.of(ALICE_ID), gateway.verifyAccessToken(current, API_AUDIENCE).subject());
        KindeTokens stored = vault.tokens(id).orElseThrow();
        assertEquals(current, stored.accessToken());
        assertNotEquals(login.tokens().refreshToken(), stored.refreshToken(), "Kinde's rotated refresh token kept");
        assertTrue(stored.idToken().isPresent());
        assertEquals(stored.accessExpiresAt(), store.rows.get(id).accessExpiresAt());
        assertEquals(clock.instant(), store.rows.get(id).updatedAt());
        assertOnlyCiphertext(id, current, stored.refreshToken().orElseThrow());
        assertEquals(current, vault.currentAccessToken(id));
        assertEquals(1, refreshRequests(), "the new token is used until it nears expiry");
    }

    @Test
    void currentAccessTokenWhenKindeHandsBackTheSameTokenThenNoFurtherRefreshUntilItExpires() {
        KindeLogin login = aliceLogin();
        String id = vault.deposit(login);
        advanceTo(login.tokens(), Duration.ofSeconds(30));

        for (int i = 0; i < 5; i++) {
            assertEquals(login.tokens().accessToken(), vault.currentAccessToken(id));
        }
        assertEquals(1, refreshRequests());
        assertNotEquals(login.tokens().refreshToken(), vault.tokens(id).orElseThrow().refreshToken());
        clock.advance(Duration.ofSeconds(31));
        String renewed = vault.currentAccessToken(id);

        assertNotEquals(login.tokens().accessToken(), renewed);
        assertEquals(2, refreshRequests());
    }

    @Test
    void currentAccessTokenWhenTwentyCallersOnAnExpiringGrantThenOneRefreshAtKinde() throws Exception {
        kinde.setReuseValidAccessTokenOnRefresh(false);
        KindeLogin login = aliceLogin();
        String id = vault.deposit(login);
        advanceTo(login.tokens(), Duration.ofSeconds(10));
        kinde.delayNext(FakeKinde.TOKEN_PATH, Duration.ofMillis(300));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<String> results = new ArrayList<>();
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(pool.submit((Callable<String>) () -> {
                    go.await();
                    return vault.currentAccessToken(id);
                }));
            }
            go.countDown();
            for (Future<String> call : calls) {
                results.add(call.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, refreshRequests());
        assertEquals(1, Set.copyOf(results).size(), "every caller got the same token");
        assertNotEquals(login.tokens().accessToken(), results.get(0));
        assertEquals(results.get(0), vault.tokens(id).orElseThrow().accessToken());
    }

    /**
     * Kinde refuses a refresh with another code than invalid_grant (a rotated-out token): the vault does not call
     * Kinde on every use, backs off 5 s, 30 s, and ends the grant at the third refusal.
     */
    @Test
    void currentAccessTokenWhenKindeKeepsRefusingTheRefreshThenBackOffThenGrantEnds() {
        KindeLogin login = aliceLogin();
        String id = vault.deposit(login);
        kinde.failAlways(FakeKinde.TOKEN_PATH, 400, "invalid_request");
        advanceTo(login.tokens(), Duration.ofSeconds(10));

        assertEquals(login.tokens().accessToken(), vault.currentAccessToken(id), "still valid for 10 s: used");
        assertEquals(1, refreshRequests());
        assertEquals(login.tokens().accessToken(), vault.currentAccessToken(id));
        assertEquals(1, refreshRequests(), "no call to Kinde during the back-off");

        clock.advance(Duration.ofSeconds(20));
        KindeGrantException waiting = assertThrows(KindeGrantException.class, () -> vault.currentAccessToken(id));
        assertEquals(KindeGrantException.Reason.BACKING_OFF, waiting.reason(), "expired, still backing off");
        assertEquals(2, refreshRequests(), "asked again after 5 s");
        assertThrows(KindeGrantException.class, () -> vault.currentAccessToken(id));
        assertEquals(2, refreshRequests(), "not again within 30 s");

        clock.advance(TokenVault.REFUSAL_BACKOFF.get(1).plusSeconds(1));
        KindeGrantException ended = assertThrows(KindeGrantException.class, () -> vault.currentAccessToken(id));
        assertEquals(KindeGrantException.Reason.REVOKED, ended.reason());
        assertEquals(3, refreshRequests());
        assertFalse(store.rows.containsKey(id), "the grant ends like invalid_grant");
    }

    /** Kinde refusing the bridge's own credentials backs off too, but never ends grants: fixing them heals. */
    @Test
    void currentAccessTokenWhenKindeRefusesTheBridgesCredentialsThenBackOffButGrantKept() {
        KindeLogin login = aliceLogin();
        String id = vault.deposit(login);
        kinde.failAlways(FakeKinde.TOKEN_PATH, 401, "invalid_client");
        advanceTo(login.tokens(), Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            clock.advance(TokenVault.REFUSAL_BACKOFF.get(2).plusSeconds(1));
            assertThrows(KindeGrantException.class, () -> vault.currentAccessToken(id));
        }
        assertTrue(store.rows.containsKey(id));
        kinde.clearFaults();
        clock.advance(TokenVault.REFUSAL_BACKOFF.get(2).plusSeconds(1));
        assertFalse(vault.currentAccessToken(id).isEmpty(), "renewed once Kinde accepts the credentials again");
    }

    /** UP-15: the user was removed in Kinde; the grant goes, and the caller learns why. */
    @Test
    void currentAccessTokenWhenKindeRevokedTheGrantThenGrantDeletedAndInvalidGrant() {
        KindeLogin login = aliceLogin();
        String id = vault.deposit(login);
        kinde.removeUser(ALICE_ID);
        advanceTo(login.tokens(), Duration.ofSeconds(10));

        KindeGrantException revoked = assertThrows(KindeGrantException.class, () -> vault.currentAccessToken(id));
        KindeGrantException after = assertThrows(KindeGrantException.class, () -> vault.currentAccessToken(id));

        assertEquals(KindeGrantException.Reason.REVOKED, revoked.reason());
        assertEquals(OAuth2Error.INVALID_GRANT.getCode(), revoked.errorObject().getCode());
        assertFalse(store.rows.containsKey(id));
        assertEquals(Optional.empty(), vault.tokens(id));
        assertEquals(KindeGrantException.Reason.UNKNOWN, after.reason());
        assertEquals(1, refreshRequests());
    }

    @Test
    void currentAccessTokenWhenKindeDownAndTokenNotExpiredThenCurrentTokenUntilExpiry() {
        KindeLogin login = aliceLogin();
        String id = vault.deposit(login);
        kinde.failAlways(FakeKinde.TOKEN_PATH, 503);
        advanceTo(login.tokens(), Duration.ofSeconds(10));

        assertEquals(login.tokens().accessToken(), vault.currentAccessToken(id));
        clock.advance(Duration.ofSeconds(11));
        KindeUpstreamException e = assertThrows(KindeUpstreamException.class, () -> vault.currentAccessToken(id));

        assertEquals(KindeUpstreamException.Reason.UNREACHABLE, e.reason());
        assertEquals(login.tokens(), vault.tokens(id).orElseThrow(), "the grant is kept as it was");
    }

    @Test
    void currentAccessTokenWhenRefreshedTokenFailsVerificationThenRejectedAndGrantKept() {
        kinde.setReuseValidAccessTokenOnRefresh(false);
        KindeLogin login = aliceLogin();
        String id = vault.deposit(login);
        kinde.forgeNextAccessToken(claims -> {
            claims.put("aud", List.of("https://other.api.example"));
            return kinde.sign(claims);
        });
        advanceTo(login.tokens(), Duration.ofSeconds(10));

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class, () -> vault.currentAccessToken(id));

        assertEquals(KindeUpstreamException.Reason.REJECTED, e.reason());
        assertEquals(login.tokens(), vault.tokens(id).orElseThrow());
    }

    @Test
    void currentAccessTokenWhenKindeNamesAnotherUserThanTheGrantThenRejectedAndNothingStored() {
        KindeLogin login = aliceLogin();
        KindeLogin other = new KindeLogin("kp_someone_else", login.email(), login.identity(), login.tokens());
        String id = vault.deposit(other);
        advanceTo(login.tokens(), Duration.ofSeconds(10));

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class, () -> vault.currentAccessToken(id));

        assertEquals(KindeUpstreamException.Reason.REJECTED, e.reason());
        assertEquals(login.tokens(), vault.tokens(id).orElseThrow());
    }

    /**
     * Two bridge instances share the database: the second waits for the grant's row lock while the first renews,
     * then uses the renewed tokens; Kinde sees one refresh (ClusterIT shows it with two Liberty servers).
     */
    @Test
    void currentAccessTokenWhenAnotherInstanceIsRenewingThenItWaitsAndUsesTheRenewedTokens() throws Exception {
        kinde.setReuseValidAccessTokenOnRefresh(false);
        // the loser's refresh token must be refused, as after Kinde's short overlap
        kinde.setTenant(kinde.tenant().withRefreshOverlap(Duration.ZERO));
        TokenVault otherInstance = new TokenVault(store, cipher(7), TestKindeGateways.gateway(kinde, clock), clock);
        KindeLogin login = aliceLogin();
        String id = vault.deposit(login);
        advanceTo(login.tokens(), Duration.ofSeconds(10));
        kinde.delayNext(FakeKinde.TOKEN_PATH, Duration.ofMillis(700));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> slow = pool.submit(() -> vault.currentAccessToken(id));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (refreshRequests() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            String winner = otherInstance.currentAccessToken(id);

            assertEquals(winner, slow.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, refreshRequests(), "one refresh at Kinde for both instances");
        assertTrue(store.rows.containsKey(id), "the grant is kept");
    }

    @Test
    void currentAccessTokenWhenGrantUnknownThenUnknown() {
        KindeGrantException e = assertThrows(KindeGrantException.class, () -> vault.currentAccessToken("kg_nothing"));

        assertEquals(KindeGrantException.Reason.UNKNOWN, e.reason());
        assertEquals(0, kinde.requests().size());
    }


    /** CC-04: a machine grant holds no secret; its token is given while valid and never renewed. */
    @Test
    void currentAccessTokenWhenMachineGrantThenTokenUntilExpiryThenExpiredWithoutCallingKinde() {
        KindeMachineLogin machine = gateway.machineLogin(M2M_CLIENT_ID, M2M_CLIENT_SECRET);
        String id = vault.depositMachine(machine);
        int tokenRequests = kinde.requestCount(FakeKinde.TOKEN_PATH);

        assertEquals(machine.tokens().accessToken(), vault.currentAccessToken(id));
        advanceTo(machine.tokens(), Duration.ofSeconds(10));
        assertEquals(machine.tokens().accessToken(), vault.currentAccessToken(id));
        clock.advance(Duration.ofSeconds(10));
        KindeGrantException e = assertThrows(KindeGrantException.class, () -> vault.currentAccessToken(id));

        assertEquals(KindeGrantException.Reason.EXPIRED, e.reason());
        assertEquals(tokenRequests, kinde.requestCount(FakeKinde.TOKEN_PATH));
        assertEquals(Optional.empty(), store.rows.get(id).kindeSubject());
        assertEquals(Optional.of(ORG_ACME), store.rows.get(id).orgCode());
        assertOnlyCiphertext(id, machine.tokens().accessToken());
        assertEquals(Optional.empty(), vault.tokens(id).orElseThrow().refreshToken());
    }
}
