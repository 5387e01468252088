package dev.kindemcp.bridge.kinde;

import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ALICE_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.API_AUDIENCE;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BOB_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BRIDGE_CLIENT_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BRIDGE_CLIENT_SECRET;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.M2M_CLIENT_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.M2M_CLIENT_SECRET;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ORG_ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.BridgeConfigParser;
import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.FakeTenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * KindeGateway against FakeKinde on an ephemeral port: lazy discovery, verification of Kinde access tokens
 * (signature, algorithm, issuer, audience, expiry), key rotation, the JWKS rate limit and outage tolerance,
 * timeouts, M2M callers, and the split between invalid tokens and an unavailable Kinde.
 */
class KindeGatewayTest {

    private FakeKinde kinde;
    private MutableClock clock;

    @BeforeEach
    void start() {
        kinde = FakeKinde.start();
        clock = new MutableClock();
    }

    @AfterEach
    void stop() {
        kinde.close();
    }


    @Test
    void constructWhenCreatedThenNoCallToKinde() {
        new KindeGateway(config(kinde.issuer(), "PT2S"), clock);

        assertEquals(0, kinde.requests().size());
    }

    @Test
    void verifyWhenManyTokensThenDiscoveryAndJwksFetchedOnce() {
        KindeGateway gateway = gateway();

        for (int i = 0; i < 20; i++) {
            gateway.verifyAccessToken(kinde.issueUserAccessToken(i % 2 == 0 ? ALICE_ID : BOB_ID, ORG_ACME));
        }

        assertEquals(1, kinde.requestCount(FakeKinde.DISCOVERY_PATH));
        assertEquals(1, kinde.requestCount(FakeKinde.JWKS_PATH));
    }

    @Test
    void verifyWhenCalledConcurrentlyThenOneDiscoveryAndOneJwksFetch() throws Exception {
        KindeGateway gateway = gateway();
        String token = kinde.issueUserAccessToken(ALICE_ID, ORG_ACME);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<KindeIdentity>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(() -> gateway.verifyAccessToken(token));
            }
            for (Future<KindeIdentity> result : pool.invokeAll(calls)) {
                assertEquals(Optional.of(ALICE_ID), result.get().subject());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, kinde.requestCount(FakeKinde.DISCOVERY_PATH));
        assertEquals(1, kinde.requestCount(FakeKinde.JWKS_PATH));
    }

    /** The startup check reads discovery once; a failure there does not start the retry pause for real use. */
    @Test
    void announcedIssuerWhenKindeDownAtStartupThenEmptyAndFirstUseStillTriesKinde() {
        KindeGateway gateway = gateway();
        String token = kinde.issueUserAccessToken(ALICE_ID, ORG_ACME);
        kinde.failNext(FakeKinde.DISCOVERY_PATH, 503);

        assertEquals(Optional.empty(), gateway.announcedIssuer());
        assertEquals(Optional.of(ALICE_ID), gateway.verifyAccessToken(token).subject());
        assertEquals(Optional.of(kinde.issuer()), gateway.announcedIssuer());
        assertEquals(2, kinde.requestCount(FakeKinde.DISCOVERY_PATH));
    }

    @Test
    void verifyWhenDiscoveryFailedThenRetriedOnlyAfterTheRetryInterval() {
        KindeGateway gateway = gateway();
        String token = kinde.issueUserAccessToken(ALICE_ID, ORG_ACME);
        kinde.failNext(FakeKinde.DISCOVERY_PATH, 503);

        KindeUpstreamException first = assertThrows(KindeUpstreamException.class,
                () -> gateway.verifyAccessToken(token));
        KindeUpstreamException second = assertThrows(KindeUpstreamException.class,
                () -> gateway.verifyAccessToken(token));
        assertEquals(1, kinde.requestCount(FakeKinde.DISCOVERY_PATH));
        clock.advance(KindeDiscovery.RETRY_INTERVAL.plusSeconds(1));
        KindeIdentity identity = gateway.verifyAccessToken(token);

        assertEquals(KindeUpstreamException.Reason.UNREACHABLE, first.reason());
        assertEquals(KindeUpstreamException.Reason.UNREACHABLE, second.reason());
        assertEquals(503, first.errorObject().getHTTPStatusCode());
        assertEquals(Optional.of(KindeUpstreamException.RETRY_AFTER), first.retryAfter());
        assertNoKindeBody(first);
        assertEquals(Optional.of(ALICE_ID), identity.subject());
        assertEquals(2, kinde.requestCount(FakeKinde.DISCOVERY_PATH));
    }

    @Test
    void verifyWhenDiscoveryMalformedThenUnavailableWithoutKindeBody() {
        KindeGateway gateway = gateway();
        kinde.malformNext(FakeKinde.DISCOVERY_PATH);

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                () -> gateway.verifyAccessToken(kinde.issueUserAccessToken(ALICE_ID, ORG_ACME)));

        assertEquals(KindeUpstreamException.Reason.MALFORMED_RESPONSE, e.reason());
        assertEquals("temporarily_unavailable", e.errorObject().getCode());
        assertNoKindeBody(e);
    }

    @Test
    void verifyWhenDiscoveryNamesAnotherIssuerThenMisconfigured() {
        String otherName = "http://localhost:" + kinde.port();
        KindeGateway gateway = new KindeGateway(config(otherName, "PT2S"), clock);

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                () -> gateway.verifyAccessToken(kinde.issueUserAccessToken(ALICE_ID, ORG_ACME)));

        assertEquals(KindeUpstreamException.Reason.MISCONFIGURED, e.reason());
        assertEquals("server_error", e.errorObject().getCode());
        assertEquals(0, kinde.requestCount(FakeKinde.JWKS_PATH));
    }

    @Test
    void providerMetadataWhenResolvedThenKindeEndpoints() {
        KindeGateway gateway = gateway();

        assertEquals(kinde.issuer() + "/oauth2/token", gateway.providerMetadata().getTokenEndpointURI().toString());
        assertEquals(kinde.issuer() + "/oauth2/auth",
                gateway.providerMetadata().getAuthorizationEndpointURI().toString());
        assertEquals(1, kinde.requestCount(FakeKinde.DISCOVERY_PATH));
    }

    @Test
    void verifyWhenKindeNotConfiguredThenUnavailableNotConfigured() {
        Map<String, String> values = Map.of(BridgeConfigParser.DEV_MODE, "true");
        KindeGateway gateway = new KindeGateway(BridgeConfigParser.parse(name -> Optional.ofNullable(values.get(name))),
                clock);

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                () -> gateway.verifyAccessToken(kinde.issueUserAccessToken(ALICE_ID, ORG_ACME)));

        assertEquals(KindeUpstreamException.Reason.NOT_CONFIGURED, e.reason());
        assertTrue(e.getMessage().contains("kinde.domain"));
        assertEquals(0, kinde.requests().size());
    }


    @Test
    void verifyWhenValidUserTokenThenKindeClaimsMapped() {
        KindeGateway gateway = gateway();
        kinde.setTenant(FakeTenant.kindeDefaults().withRoles());
        String token = kinde.issueUserAccessToken(ALICE_ID, ORG_ACME, API_AUDIENCE);

        KindeIdentity identity = gateway.verifyAccessToken(token, API_AUDIENCE);

        assertEquals(Optional.of(ALICE_ID), identity.subject());
        assertFalse(identity.machine());
        assertEquals(Optional.of(ORG_ACME), identity.orgCode());
        assertEquals(Optional.of(BRIDGE_CLIENT_ID), identity.authorizedParty());
        assertEquals(Set.of("read:notes", "write:notes"), identity.permissions());
        assertTrue(identity.hasPermission("write:notes"));
        assertEquals(Set.of("admin"), identity.roles());
        assertEquals(Optional.of(true), identity.featureFlags().get("notes_v2").booleanValue());
        assertEquals(Optional.of("teal"), identity.featureFlags().get("theme").stringValue());
        assertEquals(Optional.of(100L), identity.featureFlags().get("max_notes").longValue());
        assertEquals(Set.of(API_AUDIENCE), identity.audience());
        assertEquals(Set.of("openid", "profile", "email", "offline"), identity.scopes());
        assertEquals(Set.of(), identity.grantTypes());
        assertTrue(identity.expiresAt().isAfter(Instant.now()));
        assertTrue(identity.issuedAt().isPresent());
        assertTrue(identity.tokenId().isPresent());
    }

    @Test
    void verifyWhenTokenFromCodeFlowWithoutAudienceThenVerifiedWithoutAudienceCheck() throws Exception {
        KindeGateway gateway = gateway();
        kinde.setTenant(FakeTenant.kindeDefaults().withRoles());
        String token = kinde.issueUserAccessToken(BOB_ID, ORG_ACME);

        KindeIdentity identity = gateway.verifyAccessToken(token);

        assertEquals(Set.of(), identity.audience());
        assertEquals(Set.of("read:notes"), identity.permissions());
        assertEquals(Set.of("member"), identity.roles());
    }

    @Test
    void verifyWhenM2mTokenThenMachineCallerWithOrgCode() throws Exception {
        KindeGateway gateway = gateway();
        TokenResponse response = TokenResponse.parse(new TokenRequest.Builder(kinde.url(FakeKinde.TOKEN_PATH),
                new ClientSecretBasic(new ClientID(M2M_CLIENT_ID), new Secret(M2M_CLIENT_SECRET)),
                new ClientCredentialsGrant()).scope(new Scope("read:notes")).customParameter("audience", API_AUDIENCE)
                .build().toHTTPRequest().send());

        KindeIdentity identity = gateway.verifyAccessToken(
                response.toSuccessResponse().getTokens().getAccessToken().getValue(), API_AUDIENCE);

        assertTrue(identity.machine());
        assertEquals(Optional.empty(), identity.subject());
        assertEquals(Optional.of(ORG_ACME), identity.orgCode());
        assertEquals(Set.of("client_credentials"), identity.grantTypes());
        assertEquals(Optional.of(M2M_CLIENT_ID), identity.authorizedParty());
        assertEquals(Set.of("read:notes"), identity.scopes());
        assertEquals(Set.of(API_AUDIENCE), identity.audience());
    }

    @Test
    void verifyWhenTypIsMissingOrAtJwtThenAcceptedAndOtherTypRejected() {
        KindeGateway gateway = gateway();
        Map<String, Object> claims = kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME);

        gateway.verifyAccessToken(kinde.sign(header().build(), claims));
        gateway.verifyAccessToken(kinde.sign(header().type(new JOSEObjectType("at+jwt")).build(), claims));
        KindeTokenException e = assertThrows(KindeTokenException.class, () -> gateway.verifyAccessToken(
                kinde.sign(header().type(new JOSEObjectType("secevent+jwt")).build(), claims)));

        assertEquals(KindeTokenException.Reason.MALFORMED, e.reason());
    }

    @Test
    void verifyWhenExpiredWithinSkewThenAcceptedBeyondSkewThenExpired() {
        KindeGateway gateway = gateway();
        Map<String, Object> claims = kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME);
        claims.put("exp", Instant.now().plusSeconds(10).getEpochSecond());
        String token = kinde.sign(claims);

        clock.advance(Duration.ofSeconds(35));
        gateway.verifyAccessToken(token);
        clock.advance(Duration.ofSeconds(10));
        KindeTokenException e = assertThrows(KindeTokenException.class, () -> gateway.verifyAccessToken(token));

        assertEquals(KindeTokenException.Reason.EXPIRED, e.reason());
    }


    @Test
    void verifyWhenIssuerWrongThenInvalid() {
        KindeGateway gateway = gateway();
        Map<String, Object> claims = kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME);
        claims.put("iss", kinde.issuer() + "/");

        KindeTokenException e = assertThrows(KindeTokenException.class,
                () -> gateway.verifyAccessToken(kinde.sign(claims)));

        assertEquals(KindeTokenException.Reason.CLAIMS_REJECTED, e.reason());
    }

    @Test
    void verifyWhenAudienceWrongOrMissingThenInvalid() {
        KindeGateway gateway = gateway();
        String other = kinde.issueUserAccessToken(ALICE_ID, ORG_ACME, "https://other.api.example");
        String none = kinde.issueUserAccessToken(ALICE_ID, ORG_ACME);

        KindeTokenException wrong = assertThrows(KindeTokenException.class,
                () -> gateway.verifyAccessToken(other, API_AUDIENCE));
        KindeTokenException missing = assertThrows(KindeTokenException.class,
                () -> gateway.verifyAccessToken(none, API_AUDIENCE));

        assertEquals(KindeTokenException.Reason.CLAIMS_REJECTED, wrong.reason());
        assertEquals(KindeTokenException.Reason.CLAIMS_REJECTED, missing.reason());
    }

    @Test
    void verifyWhenExpiredBeyondSkewThenInvalid() {
        KindeGateway gateway = gateway();
        Map<String, Object> claims = kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME);
        claims.put("exp", Instant.now().minusSeconds(60).getEpochSecond());

        KindeTokenException e = assertThrows(KindeTokenException.class,
                () -> gateway.verifyAccessToken(kinde.sign(claims)));

        assertEquals(KindeTokenException.Reason.EXPIRED, e.reason());
    }

    @Test
    void verifyWhenExpMissingThenInvalid() {
        KindeGateway gateway = gateway();
        Map<String, Object> claims = kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME);
        claims.remove("exp");

        KindeTokenException e = assertThrows(KindeTokenException.class,
                () -> gateway.verifyAccessToken(kinde.sign(claims)));

        assertEquals(KindeTokenException.Reason.CLAIMS_REJECTED, e.reason());
    }

    @Test
    void verifyWhenAlgNoneThenInvalidWithoutCallingKinde() {
        KindeGateway gateway = gateway();
        String header = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"" + kinde.currentKid() + "\",\"typ\":\"JWT\"}")
                .toString();
        String payload = Base64URL.encode(JSONObjectUtils.toJSONString(kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME)))
                .toString();

        KindeTokenException e = assertThrows(KindeTokenException.class,
                () -> gateway.verifyAccessToken(header + "." + payload + "."));

        assertEquals(KindeTokenException.Reason.UNSECURED, e.reason());
        assertEquals(0, kinde.requests().size());
    }

    @Test
    void verifyWhenHs256SignedWithThePublicKeyBytesThenInvalid() throws Exception {
        KindeGateway gateway = gateway();
        gateway.verifyAccessToken(kinde.issueUserAccessToken(ALICE_ID, ORG_ACME));
        RSAKey publicKey = (RSAKey) kinde.publicJwkSet().getKeyByKeyId(kinde.currentKid());
        JWSObject forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kinde.currentKid())
                .type(JOSEObjectType.JWT).build(), new Payload(kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME)));
        forged.sign(new MACSigner(publicKey.toRSAPublicKey().getEncoded()));

        KindeTokenException e = assertThrows(KindeTokenException.class,
                () -> gateway.verifyAccessToken(forged.serialize()));

        assertEquals(KindeTokenException.Reason.DISALLOWED_ALGORITHM, e.reason());
    }

    @Test
    void verifyWhenSignedByForeignKeyWithKindesKidThenInvalid() throws Exception {
        KindeGateway gateway = gateway();
        RSAKey foreign = new RSAKeyGenerator(2048).keyID(kinde.currentKid()).generate();
        JWSObject forged = new JWSObject(header().type(JOSEObjectType.JWT).build(),
                new Payload(kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME)));
        forged.sign(new RSASSASigner(foreign));

        KindeTokenException e = assertThrows(KindeTokenException.class,
                () -> gateway.verifyAccessToken(forged.serialize()));

        assertEquals(KindeTokenException.Reason.BAD_SIGNATURE, e.reason());
        assertEquals(1, kinde.requestCount(FakeKinde.JWKS_PATH));
    }

    @Test
    void verifyWhenNotAJwtThenMalformedWithoutCallingKinde() {
        KindeGateway gateway = gateway();

        for (String token : new String[] {null, "", "   ", "not-a-jwt", "a.b.c", "x".repeat(20_000)}) {
            KindeTokenException e = assertThrows(KindeTokenException.class, () -> gateway.verifyAccessToken(token));
            assertEquals(KindeTokenException.Reason.MALFORMED, e.reason());
        }
        assertEquals(0, kinde.requests().size());
    }

    @Test
    void verifyWhenClaimHasWrongTypeThenInvalid() {
        KindeGateway gateway = gateway();
        Map<String, Object> claims = kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME);
        claims.put("roles", 5);

        KindeTokenException e = assertThrows(KindeTokenException.class,
                () -> gateway.verifyAccessToken(kinde.sign(claims)));

        assertEquals(KindeTokenException.Reason.CLAIMS_REJECTED, e.reason());
    }


    @Test
    void verifyWhenKeysRotatedThenOneJwksRefetchThenNewAndOldTokensAccepted() {
        KindeGateway gateway = gateway();
        String before = kinde.issueUserAccessToken(ALICE_ID, ORG_ACME);
        gateway.verifyAccessToken(before);
        assertEquals(1, kinde.requestCount(FakeKinde.JWKS_PATH));

        kinde.rotateKeys();
        String after = kinde.issueUserAccessToken(ALICE_ID, ORG_ACME);
        gateway.verifyAccessToken(after);
        gateway.verifyAccessToken(after);
        gateway.verifyAccessToken(before);

        assertEquals(2, kinde.requestCount(FakeKinde.JWKS_PATH));
    }

    @Test
    void verifyWhenHundredTokensWithUnknownKidsThenAtMostOneJwksFetch() {
        KindeGateway gateway = gateway();
        gateway.verifyAccessToken(kinde.issueUserAccessToken(ALICE_ID, ORG_ACME));
        int fetchesBefore = kinde.requestCount(FakeKinde.JWKS_PATH);
        Map<String, Object> claims = kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME);

        for (int i = 0; i < 100; i++) {
            String token = kinde.sign(header().keyID(UUID.randomUUID().toString()).type(JOSEObjectType.JWT).build(),
                    claims);
            KindeTokenException e = assertThrows(KindeTokenException.class, () -> gateway.verifyAccessToken(token));
            assertEquals(KindeTokenException.Reason.UNKNOWN_KEY, e.reason());
        }

        assertTrue(kinde.requestCount(FakeKinde.JWKS_PATH) - fetchesBefore <= 1,
                "JWKS fetched " + (kinde.requestCount(FakeKinde.JWKS_PATH) - fetchesBefore) + " times");
    }

    @Test
    void verifyWhenJwksDownAndCachedKeysExpiredThenStillVerifiesWithLastGoodKeys() throws Exception {
        KindeGateway gateway = gateway("PT2S",
                new KeyCachePolicy(Duration.ofMillis(200), Duration.ofMillis(1), Duration.ofHours(1)));
        String token = kinde.issueUserAccessToken(ALICE_ID, ORG_ACME);
        gateway.verifyAccessToken(token);
        kinde.failAlways(FakeKinde.JWKS_PATH, 503);
        Thread.sleep(400);

        KindeIdentity identity = gateway.verifyAccessToken(token);

        assertEquals(Optional.of(ALICE_ID), identity.subject());
        assertTrue(kinde.requestCount(FakeKinde.JWKS_PATH) >= 2, "the expired cache was refetched and failed");
    }

    @Test
    void verifyWhenJwksDownBeforeAnyKeyWasFetchedThenUnavailable() {
        KindeGateway gateway = gateway();
        kinde.failAlways(FakeKinde.JWKS_PATH, 503);
        String token = kinde.issueUserAccessToken(ALICE_ID, ORG_ACME);

        for (int i = 0; i < 5; i++) {
            KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                    () -> gateway.verifyAccessToken(token));
            assertEquals(KindeUpstreamException.Reason.UNREACHABLE, e.reason());
            assertNoKindeBody(e);
        }
        assertTrue(kinde.requestCount(FakeKinde.JWKS_PATH) <= 2, "rate-limited while Kinde is down");
    }


    @Test
    void verifyWhenDiscoveryDelayedBeyondReadTimeoutThenUnavailableQuickly() {
        KindeGateway gateway = gateway("PT0.5S", KeyCachePolicy.DEFAULT);
        String token = kinde.issueUserAccessToken(ALICE_ID, ORG_ACME);
        kinde.delayNext(FakeKinde.DISCOVERY_PATH, Duration.ofSeconds(5));

        long start = System.nanoTime();
        KindeUpstreamException e = assertThrows(KindeUpstreamException.class, () -> gateway.verifyAccessToken(token));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(KindeUpstreamException.Reason.UNREACHABLE, e.reason());
        assertTrue(elapsed.compareTo(Duration.ofSeconds(4)) < 0, "failed after " + elapsed);
        // the log line names the URL tried and the cause, not only the reason
        assertTrue(e.describe().contains(kinde.issuer() + FakeKinde.DISCOVERY_PATH), e.describe());
        assertTrue(e.describe().contains("SocketTimeoutException"), e.describe());
        KindeUpstreamException again = assertThrows(KindeUpstreamException.class,
                () -> gateway.verifyAccessToken(token));
        assertTrue(again.describe().contains("SocketTimeoutException"), "the retry guard repeats the first cause: "
                + again.describe());
    }

    @Test
    void verifyWhenJwksDelayedBeyondReadTimeoutThenUnavailableQuickly() {
        KindeGateway gateway = gateway("PT0.5S", KeyCachePolicy.DEFAULT);
        gateway.providerMetadata();
        String token = kinde.issueUserAccessToken(ALICE_ID, ORG_ACME);
        kinde.delayNext(FakeKinde.JWKS_PATH, Duration.ofSeconds(5));

        long start = System.nanoTime();
        KindeUpstreamException e = assertThrows(KindeUpstreamException.class, () -> gateway.verifyAccessToken(token));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(KindeUpstreamException.Reason.UNREACHABLE, e.reason());
        assertTrue(elapsed.compareTo(Duration.ofSeconds(4)) < 0, "failed after " + elapsed);
    }


    private KindeGateway gateway() {
        return gateway("PT2S", KeyCachePolicy.DEFAULT);
    }

    private KindeGateway gateway(String readTimeout, KeyCachePolicy policy) {
        return new KindeGateway(config(kinde.issuer(), readTimeout), clock, policy);
    }

    private JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kinde.currentKid());
    }

    private static BridgeConfig config(String kindeDomain, String readTimeout) {
        Map<String, String> values = new HashMap<>();
        values.put(BridgeConfigParser.DEV_MODE, "true");
        values.put(BridgeConfigParser.KINDE_DOMAIN, kindeDomain);
        values.put(BridgeConfigParser.KINDE_CLIENT_ID, BRIDGE_CLIENT_ID);
        values.put(BridgeConfigParser.KINDE_CLIENT_SECRET, BRIDGE_CLIENT_SECRET);
        values.put(BridgeConfigParser.KINDE_AUDIENCE, API_AUDIENCE);
        values.put(BridgeConfigParser.KINDE_CONNECT_TIMEOUT, "PT0.5S");
        values.put(BridgeConfigParser.KINDE_READ_TIMEOUT, readTimeout);
        return BridgeConfigParser.parse(name -> Optional.ofNullable(values.get(name)));
    }

    /** No message in the causal chain carries the body FakeKinde sent with the fault. */
    private static void assertNoKindeBody(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(FakeKinde.FAULT_MARKER), t.toString());
        }
    }

    /** The system clock plus an offset that tests move forward. */
    private static final class MutableClock extends Clock {

        private volatile Duration offset = Duration.ZERO;

        void advance(Duration by) {
            offset = offset.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }
}
