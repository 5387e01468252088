package dev.kindemcp.bridge.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.PasswordBasedEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
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
 * The sample tool API behind MicroProfile JWT against Kinde on a real Liberty: Kinde tokens only, Kinde
 * permissions as roles, system actors, and every RS case of the security catalogue that applies to a tool API
 * (RS-01..RS-20, RS-22, RS-25).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ToolApiIT {

    static final String AUDIENCE = "https://api.example.test";

    @Deployment
    static WebArchive deployment() {
        return TestDeployments.bridge(TestDeployments.unthrottledConfig());
    }

    private FakeKinde kinde;

    @BeforeEach
    void reset() {
        kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
    }

    static String notes() {
        return TestDeployments.issuer() + "/api/notes";
    }

    static HttpResponse<String> get(String url, String token) {
        return token == null ? Http.get(url) : Http.get(url, "Authorization", "Bearer " + token);
    }

    static HttpResponse<String> post(String token, String text) {
        return Http.send(HttpRequest.newBuilder(URI.create(notes())).POST(HttpRequest.BodyPublishers.ofString(
                "{\"text\":\"" + text + "\"}")), "Content-Type", "application/json", "Authorization", "Bearer " + token);
    }

    private String userToken(String userId, String org) {
        return kinde.issueUserAccessToken(userId, org, AUDIENCE);
    }

    private Map<String, Object> userClaims() {
        return kinde.userAccessTokenClaims(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME, AUDIENCE);
    }

    static void assertUnauthorized(HttpResponse<String> r, boolean tokenSent, String what) {
        assertEquals(401, r.statusCode(), what + ": " + r.body());
        String header = r.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(header.startsWith("Bearer"), what + ": " + header);
        if (tokenSent) {
            assertTrue(header.contains("invalid_token"), what + ": " + header);
        } else {
            assertFalse(header.contains("error="), what + ": " + header);
        }
        assertTrue(r.headers().firstValue("Location").isEmpty(), what + ": never a redirect");
    }

    /** The OpenLiberty triple: right permission 200, wrong permission 403, no token 401 (RS-01, RS-20). */
    @Test
    void notesWhenPermissionPresentMissingOrNoTokenThen200Or403Or401() {
        String alice = userToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        HttpResponse<String> created = post(alice, "from the tool API test");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(KindeDemoData.ALICE_ID, Http.json(created).get("author"));
        HttpResponse<String> list = get(notes(), alice);
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains("from the tool API test"), list.body());
        assertEquals(KindeDemoData.ORG_ACME, Http.json(list).get("org_code"));
        assertEquals(List.of(), list.headers().allValues("Set-Cookie"), "bearer tokens only, never a session cookie");
        assertEquals(List.of(), created.headers().allValues("Set-Cookie"));

        String bob = userToken(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        assertEquals(200, get(notes(), bob).statusCode(), "Bob may read");
        assertEquals(403, post(bob, "bob has no write:notes").statusCode(), "RS-20: Bob may not write");
        String carol = userToken(KindeDemoData.CAROL_ID, KindeDemoData.ORG_GLOBEX);
        assertEquals(403, get(notes(), carol).statusCode(), "RS-20: Carol has no permission at all");

        assertUnauthorized(get(notes(), null), false, "RS-01 GET");
        assertUnauthorized(Http.send(HttpRequest.newBuilder(URI.create(notes())).POST(
                HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}")), "Content-Type", "application/json"),
                false, "RS-01 POST");
    }

    /** Notes belong to the caller's organisation: Alice in Globex does not see Acme's notes. */
    @Test
    void notesWhenOtherOrganisationThenOnlyItsOwnNotes() {
        String acme = userToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        assertEquals(201, post(acme, "acme secret").statusCode());
        HttpResponse<String> globex = get(notes(), userToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_GLOBEX));
        assertEquals(200, globex.statusCode(), globex.body());
        assertFalse(globex.body().contains("acme secret"), globex.body());
        assertEquals(400, post(acme, "").statusCode(), "empty text is a bad request");
        assertEquals(400, get(notes() + "?limit=0", acme).statusCode());
    }

    /** RS-02, RS-03, RS-04, RS-05, RS-06, RS-07, RS-08: bad, unsigned and foreign-signed tokens. */
    @Test
    void notesWhenTokenMalformedUnsignedOrForeignSignedThen401() throws Exception {
        for (String garbage : List.of("abc", "a.b", "!!.??.##")) {
            assertUnauthorized(get(notes(), garbage), true, "RS-02 " + garbage);
        }
        JWTClaimsSet claims = JWTClaimsSet.parse(userClaims());
        assertUnauthorized(get(notes(), new PlainJWT(claims).serialize()), true, "RS-03 alg none");
        RSAKey kindeKey = kinde.publicJwkSet().getKeyByKeyId(kinde.currentKid()).toRSAKey();
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kinde.currentKid()).build(), claims);
        hs.sign(new MACSigner(kindeKey.toPublicKey().getEncoded()));
        assertUnauthorized(get(notes(), hs.serialize()), true, "RS-04 HS256 with the public key");
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS512, JWSAlgorithm.PS256)) {
            String other = kinde.sign(new JWSHeader.Builder(alg).keyID(kinde.currentKid()).type(JOSEObjectType.JWT)
                    .build(), userClaims());
            assertUnauthorized(get(notes(), other), true, "RS-05 " + alg + " by Kinde's own key");
        }
        String es256 = Base64URL.encode("{\"alg\":\"ES256\",\"kid\":\"" + kinde.currentKid() + "\"}") + "."
                + Base64URL.encode(claims.toString()) + "." + Base64URL.encode(new byte[64]);
        assertUnauthorized(get(notes(), es256), true, "RS-19 ES256 with r = s = 0");
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(kinde.currentKid()).generate();
        int keyFetches = kinde.requestCount(FakeKinde.JWKS_PATH);
        for (JWSHeader header : List.of(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kinde.currentKid()).build(),
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-kid").build(),
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("../../../../dev/null").build(),
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("' OR '1'='1").build(),
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k".repeat(10_000)).build(),
                new JWSHeader.Builder(JWSAlgorithm.RS256).jwk(attacker.toPublicJWK()).build(),
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("x").jwkURL(URI.create("http://127.0.0.1:1/jwks"))
                        .build(),
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("y").x509CertURL(URI.create("http://127.0.0.1:1/x5u"))
                        .build())) {
            SignedJWT forged = new SignedJWT(header, claims);
            forged.sign(new RSASSASigner(attacker));
            assertUnauthorized(get(notes(), forged.serialize()), true, "RS-06/07/08 " + header.toJSONObject().keySet());
        }
        // Liberty refetches /kinde/jwks for each unknown kid; Kinde sees at most the two retrievals that Nimbus's
        // rate limiter allows per 30 s interval, however many tokens name unknown kids
        assertTrue(kinde.requestCount(FakeKinde.JWKS_PATH) - keyFetches <= 2,
                "Kinde's JWKS fetched " + (kinde.requestCount(FakeKinde.JWKS_PATH) - keyFetches) + " times");
    }

    /** RS-09, RS-10, RS-12, RS-14: the other kind of token, other audience, time, crit. */
    @Test
    void notesWhenBridgeTokenForeignAudienceExpiredOrCritThen401() {
        String bridgeToken = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        assertUnauthorized(get(notes(), bridgeToken), true, "RS-09 bridge token at a tool API");
        assertUnauthorized(get(notes(), kinde.issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME,
                "https://other-api.example")), true, "RS-10 other audience");
        Map<String, Object> foreignIssuer = userClaims();
        foreignIssuer.put("iss", "https://evil.example");
        assertUnauthorized(get(notes(), kinde.sign(foreignIssuer)), true, "RS-09 other issuer");
        long now = Instant.now().getEpochSecond();
        Map<String, Object> expired = userClaims();
        expired.put("exp", now - 120);
        assertUnauthorized(get(notes(), kinde.sign(expired)), true, "RS-12 expired");
        Map<String, Object> noExp = userClaims();
        noExp.remove("exp");
        assertUnauthorized(get(notes(), kinde.sign(noExp)), true, "RS-12 no exp");
        Map<String, Object> future = userClaims();
        future.put("nbf", now + 600);
        future.put("iat", now + 600);
        assertUnauthorized(get(notes(), kinde.sign(future)), true, "RS-12 not yet valid");
        Map<String, Object> skew = userClaims();
        skew.put("iat", now - 300);
        skew.put("exp", now - 10);
        assertEquals(200, get(notes(), kinde.sign(skew)).statusCode(), "RS-12 within the 30 s skew");
        String crit = kinde.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kinde.currentKid())
                .type(JOSEObjectType.JWT).criticalParams(java.util.Set.of("foo")).customParam("foo", "bar").build(),
                userClaims());
        assertUnauthorized(get(notes(), crit), true, "RS-14 crit");
    }

    /** RS-15, RS-16, RS-17, RS-18, RS-22: token placement, size, nesting, JWE. */
    @Test
    void notesWhenTokenMisplacedHugeNestedOrEncryptedThenRejected() throws Exception {
        String alice = userToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        assertUnauthorized(get(notes() + "?access_token=" + alice, null), false, "RS-15 query token ignored");
        // Deviation: Liberty's MicroProfile JWT reads only "Bearer" (RFC 7235 §2.1 makes the scheme
        // case-insensitive); it answers a lower-case scheme like a missing token, never with 500
        HttpResponse<String> lower = Http.get(notes(), "Authorization", "bearer " + alice);
        assertEquals(401, lower.statusCode(), "RS-15 lower-case scheme at a tool API: " + lower.body());
        HttpResponse<String> twice = Http.get(notes(), "Authorization", "Bearer " + alice, "Authorization",
                "Bearer " + alice);
        assertEquals(400, twice.statusCode(), "RS-22 two Authorization headers");
        HttpResponse<String> both = get(notes() + "?access_token=" + alice, alice);
        assertEquals(400, both.statusCode(), "RS-22 header and query");

        int huge = Http.statusOrClosed(() -> get(notes(), "a".repeat(100 * 1024)));
        assertTrue(List.of(0, 400, 401, 431).contains(huge), "RS-16 (0: connection closed): " + huge);
        String header = Base64URL.encode("{\"alg\":\"RS256\",\"kid\":\"" + kinde.currentKid() + "\"}").toString();
        String body = Base64URL.encode("{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}").toString();
        assertUnauthorized(get(notes(), header + "." + body + ".c2ln"), true, "RS-17 nested claim");
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.PBES2_HS256_A128KW, EncryptionMethod.A128GCM)
                .pbes2Count(Integer.MAX_VALUE).pbes2Salt(Base64URL.encode("saltsaltsaltsalt")).build(),
                new Payload(userClaims()));
        String pbes2 = jwe.getHeader().toBase64URL() + ".AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA";
        assertUnauthorized(get(notes(), pbes2), true, "RS-18 JWE with p2c 2^31");
        JWEObject small = new JWEObject(new JWEHeader(JWEAlgorithm.PBES2_HS256_A128KW, EncryptionMethod.A128GCM),
                new Payload(userClaims()));
        small.encrypt(new PasswordBasedEncrypter("password-password", 16, 1000));
        assertUnauthorized(get(notes(), small.serialize()), true, "RS-18 JWE");
    }

    /** RS-25: a Kinde M2M token is a system actor: machine-allowed route 200, user-only route 403. */
    @Test
    void notesWhenKindeMachineTokenThenSystemActorReadsButMayNotWrite() {
        String machine = kinde.sign(kinde.m2mAccessTokenClaims(TestKinde.AGENT_ID, AUDIENCE, "read:notes"));
        HttpResponse<String> me = get(TestDeployments.issuer() + "/api/me", machine);
        assertEquals(200, me.statusCode(), me.body());
        Map<String, Object> seen = Http.json(me);
        assertEquals("machine", seen.get("kind"));
        assertEquals("kinde-m2m:" + TestKinde.AGENT_ID, seen.get("subject"));
        assertEquals(KindeDemoData.ORG_ACME, seen.get("org_code"));
        assertEquals(200, get(notes(), machine).statusCode(), "machine-allowed route");
        HttpResponse<String> write = post(kinde.sign(kinde.m2mAccessTokenClaims(TestKinde.AGENT_ID, AUDIENCE,
                "read:notes", "write:notes")), "machines do not write notes");
        assertEquals(403, write.statusCode(), "user-only route, although the agent has write:notes");
        assertTrue(write.body().contains("system actors"), write.body());
        String noScope = kinde.sign(kinde.m2mAccessTokenClaims(TestKinde.AGENT_ID, AUDIENCE));
        assertEquals(403, get(notes(), noScope).statusCode(), "a machine without the read:notes scope");
        Map<String, Object> user = Http.json(get(TestDeployments.issuer() + "/api/me",
                userToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME)));
        assertEquals("user", user.get("kind"));
        assertEquals(Map.of("notes_v2", true, "theme", "teal", "max_notes", 100L),
                new LinkedHashMap<>((Map<?, ?>) user.get("feature_flags")));
    }
}
