package dev.kindemcp.bridge.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.FakeTenant;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ending a grant ends it at Kinde too, on Liberty: RFC 7009 revocation, refresh-token reuse, code replay and
 * RFC 7592 client deletion revoke the bridge grant, delete its vault entry and revoke the Kinde refresh token at
 * Kinde's revocation endpoint (in the background); a machine token never outlives its Kinde M2M token.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GrantEndingIT {

    @Deployment
    static WebArchive deployment() {
        return TestDeployments.bridge(TestDeployments.unthrottledConfig());
    }

    private FakeKinde kinde;

    @BeforeEach
    void reset() {
        kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
    }

    /** Waits (up to 10 s) until Kinde has received {@code count} more revocations than {@code before}. */
    private void awaitKindeRevocations(int before, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (kinde.revokedRefreshTokens().size() < before + count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(before + count, kinde.revokedRefreshTokens().size(), "Kinde's revocation endpoint was called");
        assertTrue(kinde.requests().stream().anyMatch(r -> r.path().equals(FakeKinde.REVOCATION_PATH)));
    }

    private static Map<String, Object> login(LoginDriver.Client client) {
        HttpResponse<String> token = LoginDriver.token(LoginDriver.codeExchange(client,
                LoginDriver.code(client, "mcp:read")));
        assertEquals(200, token.statusCode(), token.body());
        return Http.json(token);
    }

    private static HttpResponse<String> refresh(LoginDriver.Client client, String refreshToken) {
        return LoginDriver.token(Map.of("grant_type", "refresh_token", "client_id", client.clientId(),
                "refresh_token", refreshToken));
    }

    @Test
    void revokeWhenClientRevokesItsRefreshTokenThenKindeRefreshTokenRevokedToo() throws Exception {
        LoginDriver.Client client = LoginDriver.register("none");
        Map<String, Object> tokens = login(client);
        int before = kinde.revokedRefreshTokens().size();
        HttpResponse<String> revoked = LoginDriver.post("/revoke", Map.of("token",
                (String) tokens.get("refresh_token"), "client_id", client.clientId()));
        assertEquals(200, revoked.statusCode(), revoked.body());
        awaitKindeRevocations(before, 1);
        assertEquals("invalid_grant", Http.json(refresh(client, (String) tokens.get("refresh_token"))).get("error"));
    }

    @Test
    void refreshWhenRotatedTokenReusedAfterItsSuccessorThenGrantEndsAtKindeToo() throws Exception {
        LoginDriver.Client client = LoginDriver.register("none");
        String first = (String) login(client).get("refresh_token");
        String second = (String) Http.json(refresh(client, first)).get("refresh_token");
        assertEquals(200, refresh(client, second).statusCode(), "the successor is used");
        int before = kinde.revokedRefreshTokens().size();
        assertEquals("invalid_grant", Http.json(refresh(client, first)).get("error"), "reuse detected");
        awaitKindeRevocations(before, 1);
    }

    @Test
    void tokenWhenCodeReplayedThenTheFirstExchangesGrantEndsAtKindeToo() throws Exception {
        LoginDriver.Client client = LoginDriver.register("none");
        String code = LoginDriver.code(client, "mcp:read");
        HttpResponse<String> first = LoginDriver.token(LoginDriver.codeExchange(client, code));
        assertEquals(200, first.statusCode(), first.body());
        int before = kinde.revokedRefreshTokens().size();
        assertEquals("invalid_grant", Http.json(LoginDriver.token(LoginDriver.codeExchange(client, code)))
                .get("error"));
        awaitKindeRevocations(before, 1);
        assertEquals("invalid_grant", Http.json(refresh(client, (String) Http.json(first).get("refresh_token")))
                .get("error"));
    }

    /** RFC 7592 §2.3: a deleted client keeps no grant; its Kinde refresh tokens are revoked at Kinde. */
    @Test
    void deleteWhenClientDeletedThenItsGrantsEndAtKindeToo() throws Exception {
        LoginDriver.Client client = LoginDriver.register("none");
        login(client);
        login(client);
        String unredeemed = LoginDriver.code(client, "mcp:read");
        int before = kinde.revokedRefreshTokens().size();
        HttpResponse<String> deleted = Http.send(HttpRequest.newBuilder(URI.create(
                (String) client.registration().get("registration_client_uri"))).DELETE(), "Authorization",
                "Bearer " + client.registration().get("registration_access_token"));
        assertEquals(204, deleted.statusCode(), deleted.body());
        awaitKindeRevocations(before, 3);
        assertTrue(LoginDriver.token(LoginDriver.codeExchange(client, unredeemed)).statusCode() >= 400);
    }

    /** A bridge token minted from a Kinde M2M token never expires after it. */
    @Test
    void clientCredentialsWhenKindeM2mTokenShortLivedThenBridgeTokenEndsWithIt() throws Exception {
        kinde.setTenant(FakeTenant.kindeDefaults().withM2mTokenLifetime(Duration.ofMinutes(2)));
        HttpResponse<String> token = LoginDriver.token(new LinkedHashMap<>(Map.of("grant_type", "client_credentials")),
                "Authorization", LoginDriver.basic(TestKinde.AGENT_ID, TestKinde.AGENT_SECRET));
        assertEquals(200, token.statusCode(), token.body());
        Map<String, Object> answer = Http.json(token);
        assertTrue(((Number) answer.get("expires_in")).longValue() <= 120, "" + answer);
        SignedJWT jwt = SignedJWT.parse((String) answer.get("access_token"));
        long lifetime = (jwt.getJWTClaimsSet().getExpirationTime().getTime()
                - jwt.getJWTClaimsSet().getIssueTime().getTime()) / 1000;
        assertTrue(lifetime <= 121, "bridge machine token lives " + lifetime + " s, its Kinde token 120 s");
        assertEquals(List.of("client_credentials"), jwt.getJWTClaimsSet().getStringListClaim("gty"));
    }
}
