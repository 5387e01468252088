package dev.kindemcp.bridge.kinde;

import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ALICE_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.API_AUDIENCE;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BRIDGE_CLIENT_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.M2M_CLIENT_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.M2M_CLIENT_SECRET;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ORG_ACME;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.READ_NOTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.config.BridgeConfigParser;
import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.FakeM2mApp;
import dev.kindemcp.bridge.kinde.fake.RecordedRequest;
import dev.kindemcp.bridge.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Machine callers at KindeGateway against FakeKinde: an agent's own Kinde M2M credentials checked with the client
 * credentials grant (CC-04, RFC 6749 §4.4), and Kinde M2M access tokens presented for token exchange (CC-05,
 * RFC 8693 §2.1). A user token is never taken for a machine's.
 */
class KindeMachineTest {

    private FakeKinde kinde;
    private MutableClock clock;
    private KindeGateway gateway;

    @BeforeEach
    void start() {
        kinde = FakeKinde.start();
        clock = new MutableClock(Instant.now());
        kinde.setClock(clock);
        gateway = TestKindeGateways.gateway(kinde, clock);
    }

    @AfterEach
    void stop() {
        kinde.close();
    }

    private RecordedRequest onlyTokenRequest() {
        List<RecordedRequest> token = kinde.requests().stream().filter(r -> r.path().equals(FakeKinde.TOKEN_PATH))
                .toList();
        assertEquals(1, token.size());
        return token.get(0);
    }

    private KindeUpstreamException machineLoginFails(String clientId, String secret) {
        return assertThrows(KindeUpstreamException.class, () -> gateway.machineLogin(clientId, secret));
    }


    /** CC-04: Kinde accepts the agent's credentials. */
    @Test
    void machineLoginWhenKindeAcceptsThenMachineIdentityWithOrgCodeAndGty() {
        KindeMachineLogin login = gateway.machineLogin(M2M_CLIENT_ID, M2M_CLIENT_SECRET);

        assertEquals(M2M_CLIENT_ID, login.clientId());
        assertTrue(login.identity().machine());
        assertEquals(Optional.empty(), login.identity().subject());
        assertEquals(Optional.of(ORG_ACME), login.identity().orgCode());
        assertEquals(Set.of(GrantType.CLIENT_CREDENTIALS.getValue()), login.identity().grantTypes());
        assertEquals(Set.of(API_AUDIENCE), login.identity().audience());
        assertEquals(Optional.of(M2M_CLIENT_ID), login.identity().authorizedParty());
        assertEquals(Optional.empty(), login.tokens().refreshToken());
        assertEquals(Optional.empty(), login.tokens().idToken());
        assertEquals(login.identity().expiresAt(), login.tokens().accessExpiresAt());
        RecordedRequest request = onlyTokenRequest();
        assertEquals(Optional.of(GrantType.CLIENT_CREDENTIALS.getValue()), request.formParam("grant_type"));
        assertEquals(Optional.of(M2M_CLIENT_ID), request.formParam("client_id"));
        assertEquals(Optional.of(M2M_CLIENT_SECRET), request.formParam("client_secret"));
        assertEquals(Optional.of(API_AUDIENCE), request.formParam("audience"));
        assertFalse(request.toString().contains(BRIDGE_CLIENT_ID), "the bridge's own application is not used");
    }

    /** CC-04: Kinde rejects → 401 invalid_client. */
    @Test
    void machineLoginWhenSecretWrongThenClientRejectedAsInvalidClient() {
        KindeUpstreamException e = machineLoginFails(M2M_CLIENT_ID, "not-the-secret");

        assertEquals(KindeUpstreamException.Reason.CLIENT_REJECTED, e.reason());
        assertFalse(e.transientFailure());
        assertEquals(OAuth2Error.INVALID_CLIENT.getCode(), e.errorObject().getCode());
        assertEquals(401, e.errorObject().getHTTPStatusCode());
        assertEquals(Optional.empty(), e.retryAfter());
        assertFalse(String.valueOf(e.getMessage()).contains("not-the-secret"));
    }

    @Test
    void machineLoginWhenClientUnknownThenClientRejected() {
        KindeUpstreamException e = machineLoginFails("no-such-m2m-app", M2M_CLIENT_SECRET);

        assertEquals(KindeUpstreamException.Reason.CLIENT_REJECTED, e.reason());
    }

    @Test
    void machineLoginWhenAppNotAuthorisedForTheAudienceThenClientRejected() {
        kinde.registerM2mApp(new FakeM2mApp("other-api-agent", "other-api-secret", Optional.empty(),
                Set.of("https://other.api.example"), Set.of()));

        KindeUpstreamException e = machineLoginFails("other-api-agent", "other-api-secret");

        assertEquals(KindeUpstreamException.Reason.CLIENT_REJECTED, e.reason());
        assertEquals(1, kinde.requestCount(FakeKinde.TOKEN_PATH));
    }

    @Test
    void machineLoginWhenCredentialsEmptyOrOversizedThenClientRejectedWithoutCallingKinde() {
        String huge = "x".repeat(KindeGateway.MAX_CREDENTIAL_LENGTH + 1);
        String[][] cases = {{null, M2M_CLIENT_SECRET}, {M2M_CLIENT_ID, null}, {"", M2M_CLIENT_SECRET},
            {M2M_CLIENT_ID, "  "}, {huge, M2M_CLIENT_SECRET}, {M2M_CLIENT_ID, huge}};
        for (String[] credentials : cases) {
            assertEquals(KindeUpstreamException.Reason.CLIENT_REJECTED,
                    machineLoginFails(credentials[0], credentials[1]).reason());
        }
        assertEquals(0, kinde.requestCount(FakeKinde.TOKEN_PATH));
    }

    /** CC-04: Kinde down → 503 with Retry-After. */
    @Test
    void machineLoginWhenKindeAnswers5xxThenUnreachable() {
        kinde.failNext(FakeKinde.TOKEN_PATH, 503);

        KindeUpstreamException e = machineLoginFails(M2M_CLIENT_ID, M2M_CLIENT_SECRET);

        assertEquals(KindeUpstreamException.Reason.UNREACHABLE, e.reason());
        assertEquals(503, e.errorObject().getHTTPStatusCode());
        assertEquals(Optional.of(KindeUpstreamException.RETRY_AFTER), e.retryAfter());
        assertFalse(String.valueOf(e.getMessage()).contains(FakeKinde.FAULT_MARKER));
    }

    @Test
    void machineLoginWhenKindeStoppedThenUnreachable() {
        gateway.providerMetadata();
        kinde.close();

        KindeUpstreamException e = machineLoginFails(M2M_CLIENT_ID, M2M_CLIENT_SECRET);

        assertEquals(KindeUpstreamException.Reason.UNREACHABLE, e.reason());
    }

    @Test
    void machineLoginWhenAnswerIsGarbageThenRejected() {
        kinde.malformNext(FakeKinde.TOKEN_PATH);

        assertEquals(KindeUpstreamException.Reason.REJECTED,
                machineLoginFails(M2M_CLIENT_ID, M2M_CLIENT_SECRET).reason());
    }

    /** A user's token, or a token that is not for this agent and API, never passes as the agent's M2M token. */
    @Test
    void machineLoginWhenKindeReturnsAnythingButThisAgentsM2mTokenThenRejected() {
        Map<String, Function<Map<String, Object>, String>> defects = new LinkedHashMap<>();
        defects.put("user token", claims -> kinde.issueUserAccessToken(ALICE_ID, ORG_ACME, API_AUDIENCE));
        defects.put("gty with a sub", claims -> kinde.sign(with(claims, "sub", ALICE_ID)));
        defects.put("no gty", claims -> kinde.sign(with(claims, "gty", List.of())));
        defects.put("other azp", claims -> kinde.sign(with(claims, "azp", "another-agent")));
        defects.put("wrong audience", claims -> kinde.sign(with(claims, "aud", List.of("https://other.api.example"))));
        defects.put("expired", claims -> kinde.sign(with(claims, "exp", clock.instant().minusSeconds(120)
                .getEpochSecond())));
        defects.put("foreign issuer", claims -> kinde.sign(with(claims, "iss", "https://evil.example")));
        for (Map.Entry<String, Function<Map<String, Object>, String>> defect : defects.entrySet()) {
            kinde.forgeNextAccessToken(defect.getValue());

            KindeUpstreamException e = machineLoginFails(M2M_CLIENT_ID, M2M_CLIENT_SECRET);

            assertEquals(KindeUpstreamException.Reason.REJECTED, e.reason(), defect.getKey());
            assertEquals(OAuth2Error.SERVER_ERROR.getCode(), e.errorObject().getCode(), defect.getKey());
        }
    }

    @Test
    void machineLoginWhenNoAudienceConfiguredThenMisconfiguredWithoutCallingKinde() {
        Map<String, String> noAudience = new HashMap<>();
        noAudience.put(BridgeConfigParser.KINDE_AUDIENCE, null);
        KindeGateway withoutAudience = new KindeGateway(TestKindeGateways.config(kinde, noAudience), clock);

        KindeUpstreamException e = assertThrows(KindeUpstreamException.class,
                () -> withoutAudience.machineLogin(M2M_CLIENT_ID, M2M_CLIENT_SECRET));
        KindeUpstreamException exchange = assertThrows(KindeUpstreamException.class,
                () -> withoutAudience.verifyMachineToken(m2mToken(m2mClaims())));

        assertEquals(KindeUpstreamException.Reason.MISCONFIGURED, e.reason());
        assertEquals(KindeUpstreamException.Reason.MISCONFIGURED, exchange.reason());
        assertEquals(0, kinde.requestCount(FakeKinde.TOKEN_PATH));
    }


    private Map<String, Object> m2mClaims() {
        return kinde.m2mAccessTokenClaims(M2M_CLIENT_ID, API_AUDIENCE, READ_NOTES);
    }

    private String m2mToken(Map<String, Object> claims) {
        return kinde.sign(claims);
    }

    private KindeTokenException.Reason refused(String token) {
        return assertThrows(KindeTokenException.class, () -> gateway.verifyMachineToken(token)).reason();
    }

    /** CC-05: a valid Kinde M2M access token for the configured audience. */
    @Test
    void verifyMachineTokenWhenValidM2mTokenThenMachineIdentity() {
        KindeIdentity identity = gateway.verifyMachineToken(m2mToken(m2mClaims()));

        assertTrue(identity.machine());
        assertEquals(Optional.of(ORG_ACME), identity.orgCode());
        assertEquals(Optional.of(M2M_CLIENT_ID), identity.authorizedParty());
        assertEquals(0, kinde.requestCount(FakeKinde.TOKEN_PATH), "token exchange does not call the token endpoint");
    }

    /** CC-05: a Kinde user token is not a subject_token for the machine exchange. */
    @Test
    void verifyMachineTokenWhenUserTokenThenRefused() {
        assertEquals(KindeTokenException.Reason.NOT_MACHINE,
                refused(kinde.issueUserAccessToken(ALICE_ID, ORG_ACME, API_AUDIENCE)));
        assertEquals(KindeTokenException.Reason.NOT_MACHINE, refused(m2mToken(with(m2mClaims(), "sub", ALICE_ID))));
        assertEquals(KindeTokenException.Reason.NOT_MACHINE, refused(m2mToken(with(m2mClaims(), "gty", List.of()))));
    }

    /** CC-05: expired. */
    @Test
    void verifyMachineTokenWhenExpiredThenRefused() {
        String token = m2mToken(m2mClaims());
        clock.advance(FakeKinde.DEFAULT_ACCESS_TOKEN_LIFETIME.plus(KindeTokenVerifier.CLOCK_SKEW).plusSeconds(1));

        assertEquals(KindeTokenException.Reason.EXPIRED, refused(token));
    }

    /** CC-05: wrong audience. */
    @Test
    void verifyMachineTokenWhenWrongOrNoAudienceThenRefused() {
        assertEquals(KindeTokenException.Reason.CLAIMS_REJECTED,
                refused(m2mToken(kinde.m2mAccessTokenClaims(M2M_CLIENT_ID, "https://other.api.example"))));
        assertEquals(KindeTokenException.Reason.CLAIMS_REJECTED, refused(m2mToken(with(m2mClaims(), "aud",
                List.of()))));
    }

    /** CC-05: foreign issuer, whether signed with Kinde's key or by another Kinde tenant. */
    @Test
    void verifyMachineTokenWhenForeignIssuerThenRefused() {
        assertEquals(KindeTokenException.Reason.CLAIMS_REJECTED,
                refused(m2mToken(with(m2mClaims(), "iss", "https://other-tenant.kinde.com"))));
        try (FakeKinde otherTenant = FakeKinde.start()) {
            String foreign = otherTenant.sign(otherTenant.m2mAccessTokenClaims(M2M_CLIENT_ID, API_AUDIENCE,
                    READ_NOTES));

            KindeTokenException.Reason reason = refused(foreign);

            assertTrue(reason == KindeTokenException.Reason.UNKNOWN_KEY
                    || reason == KindeTokenException.Reason.BAD_SIGNATURE, reason.name());
        }
    }

    @Test
    void verifyMachineTokenWhenNotAJwtThenMalformedWithoutCallingKinde() {
        assertEquals(KindeTokenException.Reason.MALFORMED, refused("opaque"));
        assertEquals(0, kinde.requests().size());
    }

    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(claims);
        copy.put(name, value);
        return copy;
    }
}
