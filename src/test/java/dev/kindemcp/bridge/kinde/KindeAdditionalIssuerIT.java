package dev.kindemcp.bridge.kinde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Kinde business reached at two domains (its kinde.com subdomain and a custom domain) issues tokens whose
 * {@code iss} is the domain the token came through. With the second one in {@code kinde.additional-issuers},
 * the tool APIs' MicroProfile JWT and the bridge's own checks accept both, and nothing else. The fake answers at
 * {@code 127.0.0.1} (the login domain) and at {@code localhost} (playing the other domain).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KindeAdditionalIssuerIT {

    static final String AUDIENCE = "https://api.example.test";

    static String otherDomain() {
        return "http://localhost:" + TestDeployments.fakeKindePort();
    }

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("kinde.additional-issuers", otherDomain() + "/");
        config.remove("mp.jwt.verify.issuer");
        return TestDeployments.bridge("additional-issuer", config);
    }

    private static String userToken(FakeKinde kinde, String issuer) {
        Map<String, Object> claims = kinde.userAccessTokenClaims(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME,
                AUDIENCE);
        claims.put("iss", issuer);
        return kinde.sign(claims);
    }

    @Test
    void toolApiWhenTokenFromEitherDomainThenAcceptedElseRefused() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        String me = TestDeployments.issuer() + "/api/me";
        assertEquals(200, Http.get(me, "Authorization", "Bearer " + userToken(kinde, kinde.issuer())).statusCode());
        HttpResponse<String> other = Http.get(me, "Authorization", "Bearer " + userToken(kinde, otherDomain()));
        assertEquals(200, other.statusCode(), other.body());
        assertEquals(otherDomain(), Http.json(other).get("token_issuer"));
        assertEquals(401, Http.get(me, "Authorization", "Bearer " + userToken(kinde, "http://127.0.0.2:"
                + TestDeployments.fakeKindePort())).statusCode(), "an issuer that is not listed");
    }

    @Test
    void tokenExchangeWhenKindeM2mTokenFromTheOtherDomainThenMachineToken() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        Map<String, Object> claims = kinde.m2mAccessTokenClaims(TestKinde.AGENT_ID, AUDIENCE, "read:notes");
        claims.put("iss", otherDomain());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        form.put("subject_token", kinde.sign(claims));
        form.put("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
        HttpResponse<String> exchanged = LoginDriver.token(form);
        assertEquals(200, exchanged.statusCode(), exchanged.body());
        claims.put("iss", "http://127.0.0.2:" + TestDeployments.fakeKindePort());
        form.put("subject_token", kinde.sign(claims));
        assertEquals(400, LoginDriver.token(form).statusCode(), "an issuer that is not listed");
    }

    @Test
    void loginWhenAdditionalIssuerConfiguredThenLoginThroughTheDomainStillWorks() {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        LoginDriver.Client client = LoginDriver.register("none");
        assertEquals(200, LoginDriver.token(LoginDriver.codeExchange(client, LoginDriver.code(client, "mcp:read")))
                .statusCode());
    }
}
