package dev.kindemcp.bridge.kinde;

import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ALICE_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.API_AUDIENCE;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BRIDGE_CLIENT_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BRIDGE_CLIENT_SECRET;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ORG_ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kinde leg of a login against FakeKinde: the code exchange and the full validation of Kinde's answer
 * (UP-05..UP-12 of the security catalogue at the gateway).
 */
class KindeLoginTest {

    static final String CALLBACK = "http://localhost:9080/kinde/callback";

    private FakeKinde kinde;
    private KindeGateway gateway;
    private final CodeVerifier verifier = new CodeVerifier();

    @BeforeEach
    void start() {
        kinde = FakeKinde.start(0, KindeDemoData.bridgeApp());
        kinde.autoLogin(ALICE_ID, ORG_ACME);
        gateway = new KindeGateway(TestKindeGateways.config(kinde), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        kinde.close();
    }

    /** Sends the "browser" to Kinde with the gateway's login URL and returns the code Kinde redirects with. */
    private String codeFor(String nonce) throws Exception {
        URI login = gateway.loginUrl(CALLBACK, "state-1", nonce,
                CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue(), Map.of());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(login).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(CALLBACK + "?"), location);
        String query = URI.create(location).getQuery();
        for (String pair : query.split("&")) {
            if (pair.startsWith("code=")) {
                return pair.substring(5);
            }
        }
        throw new AssertionError("no code in " + location);
    }

    private KindeLogin login(String nonce) throws Exception {
        return gateway.completeLogin(codeFor(nonce), CALLBACK, verifier.getValue(), nonce);
    }

    private KindeUpstreamException failure(Function<Map<String, Object>, String> forger) throws Exception {
        String code = codeFor("n-1");
        kinde.forgeNextIdToken(forger);
        return assertThrows(KindeUpstreamException.class,
                () -> gateway.completeLogin(code, CALLBACK, verifier.getValue(), "n-1"));
    }

    @Test
    void completeLoginWhenKindeAnswersWellThenIdentityAndTokens() throws Exception {
        KindeLogin login = login("n-ok");
        assertEquals(ALICE_ID, login.subject());
        assertEquals(Optional.of(ORG_ACME), login.identity().orgCode());
        assertTrue(login.identity().audience().contains(API_AUDIENCE));
        assertTrue(login.tokens().refreshToken().isPresent(), "offline scope gives a refresh token");
        String form = kinde.requests().stream().filter(r -> r.path().equals(FakeKinde.TOKEN_PATH)).findFirst()
                .orElseThrow().toString();
        assertTrue(form.contains("code_verifier"), form);
    }

    /** UP-08: every defect of the ID token is refused. */
    @Test
    void completeLoginWhenIdTokenDefectiveThenRejected() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(kinde.currentKid()).generate();
        Map<String, Function<Map<String, Object>, String>> defects = Map.of(
                "foreign key with Kinde's kid", claims -> TestKindeGateways.signWith(attacker, claims),
                "alg none", claims -> {
                    try {
                        return new PlainJWT(JWTClaimsSet.parse(claims)).serialize();
                    } catch (ParseException e) {
                        throw new IllegalStateException(e);
                    }
                },
                "HS256 with the public key bytes", claims -> {
                    try {
                        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), JWTClaimsSet.parse(claims));
                        jwt.sign(new MACSigner(kinde.publicJwkSet().getKeys().get(0).toRSAKey().toPublicKey()
                                .getEncoded()));
                        return jwt.serialize();
                    } catch (JOSEException | ParseException e) {
                        throw new IllegalStateException(e);
                    }
                },
                "wrong issuer", claims -> kinde.sign(with(claims, "iss", "https://evil.example")),
                "wrong audience", claims -> kinde.sign(with(claims, "aud", java.util.List.of("someone-else"))),
                "expired", claims -> kinde.sign(with(claims, "exp", System.currentTimeMillis() / 1000 - 3600)),
                "nonce mismatch", claims -> kinde.sign(with(claims, "nonce", "other-nonce")));
        for (Map.Entry<String, Function<Map<String, Object>, String>> defect : defects.entrySet()) {
            KindeUpstreamException e = failure(defect.getValue());
            assertEquals(KindeUpstreamException.Reason.REJECTED, e.reason(), defect.getKey());
            assertEquals("server_error", e.errorObject().getCode(), defect.getKey());
        }
    }

    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> copy = new HashMap<>(claims);
        copy.put(name, value);
        return copy;
    }

    /** UP-05, UP-06, UP-07. */
    @Test
    void completeLoginWhenTokenEndpointFailsHangsOrGarblesThenUnavailableOrRejected() throws Exception {
        String code = codeFor("n-2");
        kinde.failNext(FakeKinde.TOKEN_PATH, 503);
        assertEquals(KindeUpstreamException.Reason.UNREACHABLE, assertThrows(KindeUpstreamException.class,
                () -> gateway.completeLogin(code, CALLBACK, verifier.getValue(), "n-2")).reason());
        String code2 = codeFor("n-3");
        kinde.delayNext(FakeKinde.TOKEN_PATH, java.time.Duration.ofSeconds(3));
        assertEquals(KindeUpstreamException.Reason.UNREACHABLE, assertThrows(KindeUpstreamException.class,
                () -> gateway.completeLogin(code2, CALLBACK, verifier.getValue(), "n-3")).reason());
        String code3 = codeFor("n-4");
        kinde.malformNext(FakeKinde.TOKEN_PATH);
        KindeUpstreamException garbled = assertThrows(KindeUpstreamException.class,
                () -> gateway.completeLogin(code3, CALLBACK, verifier.getValue(), "n-4"));
        assertEquals("server_error", garbled.errorObject().getCode());
        for (Throwable t = garbled; t != null; t = t.getCause()) {
            assertTrue(!String.valueOf(t.getMessage()).contains(FakeKinde.FAULT_MARKER), "Kinde's body in " + t);
        }
    }

    /** UP-10: Kinde's JWKS down, the signing kid cached: the login still completes. */
    @Test
    void completeLoginWhenJwksDownButKidCachedThenSucceeds() throws Exception {
        login("n-5");
        kinde.failAlways(FakeKinde.JWKS_PATH, 503);
        assertEquals(ALICE_ID, login("n-6").subject());
    }

    /** UP-11: Kinde's JWKS down and an unknown kid: fail closed. */
    @Test
    void completeLoginWhenJwksDownAndKidUnknownThenNoLogin() throws Exception {
        login("n-7");
        kinde.rotateKeys();
        kinde.failAlways(FakeKinde.JWKS_PATH, 503);
        String code = codeFor("n-8");
        assertThrows(KindeUpstreamException.class,
                () -> gateway.completeLogin(code, CALLBACK, verifier.getValue(), "n-8"));
    }

    /** UP-12: Kinde rotates its key: one JWKS refetch, then the login completes. */
    @Test
    void completeLoginWhenKindeRotatedKeysThenOneRefetchAndSuccess() throws Exception {
        login("n-9");
        int fetches = kinde.requestCount(FakeKinde.JWKS_PATH);
        kinde.rotateKeys();
        assertEquals(ALICE_ID, login("n-10").subject());
        assertEquals(fetches + 1, kinde.requestCount(FakeKinde.JWKS_PATH));
    }
}
