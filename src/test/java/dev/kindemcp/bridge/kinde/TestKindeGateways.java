package dev.kindemcp.bridge.kinde;

import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.API_AUDIENCE;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BRIDGE_CLIENT_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BRIDGE_CLIENT_SECRET;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.BridgeConfigParser;
import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gateways wired to a FakeKinde (the demo bridge application, the demo API audience, short timeouts) and real
 * user logins through FakeKinde's authorization endpoint, for the unit tests of the Kinde package.
 */
final class TestKindeGateways {

    static final String CALLBACK = "http://localhost:9080/kinde/callback";

    private TestKindeGateways() {
    }

    /** The bridge's settings for {@code kinde}: demo application, API audience, 1 s read timeout. */
    static BridgeConfig config(FakeKinde kinde) {
        return config(kinde, Map.of());
    }

    /** As {@link #config(FakeKinde)}, with some values replaced (a {@code null} value removes the key). */
    static BridgeConfig config(FakeKinde kinde, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put(BridgeConfigParser.DEV_MODE, "true");
        values.put(BridgeConfigParser.KINDE_DOMAIN, kinde.issuer());
        values.put(BridgeConfigParser.KINDE_CLIENT_ID, BRIDGE_CLIENT_ID);
        values.put(BridgeConfigParser.KINDE_CLIENT_SECRET, BRIDGE_CLIENT_SECRET);
        values.put(BridgeConfigParser.KINDE_AUDIENCE, API_AUDIENCE);
        values.put(BridgeConfigParser.KINDE_CONNECT_TIMEOUT, "PT0.5S");
        values.put(BridgeConfigParser.KINDE_READ_TIMEOUT, "PT1S");
        values.putAll(overrides);
        values.values().removeIf(v -> v == null);
        return BridgeConfigParser.parse(name -> Optional.ofNullable(values.get(name)));
    }

    static KindeGateway gateway(FakeKinde kinde, Clock clock) {
        return new KindeGateway(config(kinde), clock);
    }

    /** A gateway for a bridge without Kinde (dev mode, no domain): every call fails with NOT_CONFIGURED. */
    /** Claims signed RS256 by {@code key} under its kid: a token from a key Kinde does not publish. */
    static String signWith(com.nimbusds.jose.jwk.RSAKey key, Map<String, Object> claims) {
        try {
            com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(
                    com.nimbusds.jose.JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    com.nimbusds.jwt.JWTClaimsSet.parse(claims));
            jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException | java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static KindeGateway unconfigured(Clock clock) {
        return new KindeGateway(BridgeConfigParser.parse(
                name -> Optional.ofNullable(Map.of(BridgeConfigParser.DEV_MODE, "true").get(name))), clock);
    }

    /** Logs {@code userId} into {@code orgCode} at FakeKinde through the gateway's login URL and code exchange. */
    static KindeLogin login(FakeKinde kinde, KindeGateway gateway, String userId, String orgCode) {
        kinde.autoLogin(userId, orgCode);
        CodeVerifier verifier = new CodeVerifier();
        URI url = gateway.loginUrl(CALLBACK, "state-1", "nonce-1",
                CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue(), Map.of());
        HttpResponse<String> answer;
        try {
            answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("FakeKinde did not answer the login", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the login", e);
        }
        String location = answer.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("FakeKinde did not redirect: " + answer.statusCode()));
        for (String pair : URI.create(location).getQuery().split("&")) {
            if (pair.startsWith("code=")) {
                return gateway.completeLogin(pair.substring(5), CALLBACK, verifier.getValue(), "nonce-1");
            }
        }
        throw new IllegalStateException("FakeKinde redirected without a code");
    }
}
