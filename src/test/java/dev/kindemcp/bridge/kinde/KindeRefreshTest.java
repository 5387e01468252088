package dev.kindemcp.bridge.kinde;

import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ALICE_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.API_AUDIENCE;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BOB_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BRIDGE_CLIENT_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BRIDGE_CLIENT_SECRET;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.M2M_CLIENT_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ORG_ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.RecordedRequest;
import dev.kindemcp.bridge.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * KindeGateway.refresh against FakeKinde (RFC 6749 §6): Kinde's rotating refresh tokens and reused access tokens,
 * verification of what Kinde returns, and the split between a revoked grant (UP-15), an unreachable Kinde and an
 * unacceptable answer.
 */
class KindeRefreshTest {

    private static final Duration LIFETIME = Duration.ofMinutes(5);

    private FakeKinde kinde;
    private MutableClock clock;
    private KindeGateway gateway;

    @BeforeEach
    void start() {
        kinde = FakeKinde.start();
        clock = new MutableClock(Instant.now());
        kinde.setClock(clock);
        kinde.setAccessTokenLifetime(LIFETIME);
        gateway = TestKindeGateways.gateway(kinde, clock);
    }

    @AfterEach
    void stop() {
        kinde.close();
    }

    private KindeTokens login() {
        return TestKindeGateways.login(kinde, gateway, ALICE_ID, ORG_ACME).tokens();
    }

    private static String refreshToken(KindeTokens tokens) {
        return tokens.refreshToken().orElseThrow();
    }

    private RecordedRequest lastTokenRequest() {
        List<RecordedRequest> token = kinde.requests().stream().filter(r -> r.path().equals(FakeKinde.TOKEN_PATH))
                .toList();
        return token.get(token.size() - 1);
    }

    @Test
    void refreshWhenAccessTokenExpiredThenNewVerifiedAccessTokenAndRotatedRefreshToken() {
        KindeTokens first = login();
        clock.advance(LIFETIME.plusSeconds(1));

        KindeTokens refreshed = gateway.refresh(refreshToken(first));

        assertNotEquals(first.accessToken(), refreshed.accessToken());
        assertEquals(clock.instant().plus(LIFETIME).getEpochSecond(), refreshed.accessExpiresAt().getEpochSecond());
        assertTrue(refreshed.refreshToken().isPresent());
        assertNotEquals(first.refreshToken(), refreshed.refreshToken());
        assertTrue(refreshed.idToken().isPresent());
        KindeIdentity identity = gateway.verifyAccessToken(refreshed.accessToken(), API_AUDIENCE);
        assertEquals(Optional.of(ALICE_ID), identity.subject());
        RecordedRequest request = lastTokenRequest();
        assertEquals(Optional.of(GrantType.REFRESH_TOKEN.getValue()), request.formParam("grant_type"));
        assertEquals(Optional.of(BRIDGE_CLIENT_ID), request.formParam("client_id"));
        assertEquals(Optional.of(BRIDGE_CLIENT_SECRET), request.formParam("client_secret"));
        assertEquals(Optional.empty(), request.header("Authorization"), "client_secret_post, not basic");
    }

    @Test
    void refreshWhenAccessTokenStillValidThenSameAccessTokenAndNewRefreshToken() {
        KindeTokens first = login();
        clock.advance(Duration.ofMinutes(4));

        KindeTokens refreshed = gateway.refresh(refreshToken(first));

        assertEquals(first.accessToken(), refreshed.accessToken());
        assertEquals(first.accessExpiresAt(), refreshed.accessExpiresAt());
        assertNotEquals(first.refreshToken(), refreshed.refreshToken());
    }

    @Test
    void refreshWhenKindeRotatedTheRefreshTokenThenTheNewOneWorksAndTheOldOneOnlyDuringTheOverlap() {
        KindeTokens first = login();
        KindeTokens second = gateway.refresh(refreshToken(first));

        KindeTokens third = gateway.refresh(refreshToken(second));
        assertTrue(gateway.refresh(refreshToken(first)).refreshToken().isPresent(), "Kinde's overlap");
        clock.advance(kinde.tenant().refreshOverlap().plusSeconds(1));
        KindeUpstreamException reused = assertThrows(KindeUpstreamException.class,
                () -> gateway.refresh(refreshToken(first)));

        assertTrue(third.refreshToken().isPresent());
        assertEquals(KindeUpstreamException.Reason.GRANT_REVOKED, reused.reason());
    }

    @Test
    void refreshWhenKindeSendsNoRefreshTokenThenThePresentedOneIsKept() {
        kinde.setRotateRefreshTokens(false);
        KindeTokens first = login();

        KindeTokens refreshed = gateway.refresh(refreshToken(first));
        KindeTokens again = gateway.refresh(refreshToken(refreshed));

        assertEquals(first.refreshToken(), refreshed.refreshToken());
        assertEquals(first.refreshToken(), again.refreshToken());
    }

    /** UP-15: the user was removed in Kinde. */
    @Test
    void refreshWhenUserRemovedThenGrantRevokedAsInvalidGrant() {
        KindeTokens first = login();
        kinde.removeUser(ALICE_ID);

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                () -> gateway.refresh(refreshToken(first)));

        assertEquals(KindeUpstreamException.Reason.GRANT_REVOKED, e.reason());
        assertFalse(e.transientFailure());
        assertEquals(OAuth2Error.INVALID_GRANT.getCode(), e.errorObject().getCode());
        assertEquals(400, e.errorObject().getHTTPStatusCode());
        assertNoKindeText(e);
    }

    /** UP-15: a refresh token Kinde does not know (revoked, expired). */
    @Test
    void refreshWhenRefreshTokenUnknownThenGrantRevoked() {
        login();

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                () -> gateway.refresh("not-a-refresh-token-kinde-issued"));

        assertEquals(KindeUpstreamException.Reason.GRANT_REVOKED, e.reason());
    }

    @Test
    void refreshWhenKindeRefusesTheBridgeCredentialsThenMisconfiguredNamingTheSettingNotRevoked() {
        KindeTokens first = login();
        KindeGateway wrongSecret = new KindeGateway(TestKindeGateways.config(kinde,
                Map.of(dev.kindemcp.bridge.config.BridgeConfigParser.KINDE_CLIENT_SECRET, "wrong-secret")), clock);

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                () -> wrongSecret.refresh(refreshToken(first)));

        assertEquals(KindeUpstreamException.Reason.MISCONFIGURED, e.reason());
        assertTrue(e.getMessage().contains("KINDE_CLIENT_SECRET"), e.getMessage());
        assertEquals(OAuth2Error.SERVER_ERROR.getCode(), e.errorObject().getCode());
    }

    /** Kinde answering a refresh with another code than invalid_grant: refused, for the vault to back off. */
    @Test
    void refreshWhenKindeAnswersInvalidRequestThenRefreshRefused() {
        KindeTokens first = login();
        kinde.failAlways(FakeKinde.TOKEN_PATH, 400, "unauthorized_client");

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class, () -> gateway.refresh(refreshToken(first)));

        assertEquals(KindeUpstreamException.Reason.REFRESH_REFUSED, e.reason());
        assertFalse(e.transientFailure());
    }

    @Test
    void refreshWhenKindeAnswers503Or429ThenUnreachable() {
        KindeTokens first = login();
        for (int status : new int[] {503, 500, 429}) {
            kinde.failNext(FakeKinde.TOKEN_PATH, status);

            KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                    () -> gateway.refresh(refreshToken(first)));

            assertEquals(KindeUpstreamException.Reason.UNREACHABLE, e.reason(), "status " + status);
            assertEquals(503, e.errorObject().getHTTPStatusCode());
            assertEquals(Optional.of(KindeUpstreamException.RETRY_AFTER), e.retryAfter());
            assertNoKindeText(e);
        }
        assertTrue(gateway.refresh(refreshToken(first)).refreshToken().isPresent(), "the grant survived");
    }

    @Test
    void refreshWhenKindeTooSlowThenUnreachable() {
        KindeTokens first = login();
        kinde.delayNext(FakeKinde.TOKEN_PATH, Duration.ofSeconds(3));

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                () -> gateway.refresh(refreshToken(first)));

        assertEquals(KindeUpstreamException.Reason.UNREACHABLE, e.reason());
    }

    @Test
    void refreshWhenAnswerIsGarbageThenRejected() {
        KindeTokens first = login();
        kinde.malformNext(FakeKinde.TOKEN_PATH);

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                () -> gateway.refresh(refreshToken(first)));

        assertEquals(KindeUpstreamException.Reason.REJECTED, e.reason());
        assertEquals(OAuth2Error.SERVER_ERROR.getCode(), e.errorObject().getCode());
        assertNoKindeText(e);
    }

    /** Whatever Kinde hands back on a refresh is verified like a login's token before it is accepted. */
    @Test
    void refreshWhenRefreshedAccessTokenFailsVerificationThenRejected() throws Exception {
        kinde.setReuseValidAccessTokenOnRefresh(false);
        RSAKey foreign = new RSAKeyGenerator(2048).keyID(kinde.currentKid()).generate();
        Map<String, Function<Map<String, Object>, String>> defects = new LinkedHashMap<>();
        defects.put("wrong audience", claims -> kinde.sign(with(claims, "aud", List.of("https://other.api.example"))));
        defects.put("no audience", claims -> kinde.sign(with(claims, "aud", List.of())));
        defects.put("foreign issuer", claims -> kinde.sign(with(claims, "iss", "https://evil.example")));
        defects.put("expired", claims -> kinde.sign(with(claims, "exp", clock.instant().minusSeconds(120)
                .getEpochSecond())));
        defects.put("foreign key with Kinde's kid", claims -> TestKindeGateways.signWith(foreign, claims));
        defects.put("an M2M token", claims -> kinde.sign(kinde.m2mAccessTokenClaims(M2M_CLIENT_ID, API_AUDIENCE)));
        defects.put("not a JWT", claims -> "opaque-access-token");
        for (Map.Entry<String, Function<Map<String, Object>, String>> defect : defects.entrySet()) {
            KindeTokens first = login();
            kinde.forgeNextAccessToken(defect.getValue());

            KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                    () -> gateway.refresh(refreshToken(first)), defect.getKey());

            assertEquals(KindeUpstreamException.Reason.REJECTED, e.reason(), defect.getKey());
            assertEquals(OAuth2Error.SERVER_ERROR.getCode(), e.errorObject().getCode(), defect.getKey());
        }
    }

    @Test
    void refreshWhenRefreshedIdTokenNamesAnotherUserThenRejected() {
        KindeTokens first = login();
        kinde.forgeNextIdToken(claims -> kinde.sign(with(claims, "sub", BOB_ID)));

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                () -> gateway.refresh(refreshToken(first)));

        assertEquals(KindeUpstreamException.Reason.REJECTED, e.reason());
    }

    @Test
    void refreshWhenRefreshedIdTokenForAnotherClientThenRejected() {
        KindeTokens first = login();
        kinde.forgeNextIdToken(claims -> kinde.sign(with(claims, "aud", List.of("another-client"))));

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                () -> gateway.refresh(refreshToken(first)));

        assertEquals(KindeUpstreamException.Reason.REJECTED, e.reason());
    }

    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(claims);
        copy.put(name, value);
        return copy;
    }

    /** No message in the causal chain carries Kinde's fault body or a token. */
    private static void assertNoKindeText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            assertFalse(message.contains(FakeKinde.FAULT_MARKER), t.toString());
            assertFalse(message.contains("eyJ"), t.toString());
        }
    }
}
