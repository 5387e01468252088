package dev.kindemcp.bridge.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.BrowserSession;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole path of an MCP client over HTTP, every URL taken from the discovery documents as a client would:
 * protected-resource metadata → authorization-server metadata → registration → authorize (PKCE, resource)
 * → consent → Kinde → callback → token → refresh → revoke (spec-requirements.md §5a).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class McpAuthorizationFlowIT {

    static final String REDIRECT = "http://127.0.0.1:33418/callback";

    @Deployment
    static WebArchive deployment() {
        return TestDeployments.bridge();
    }

    @Test
    void mcpClientWhenWalkingDiscoveryToRevocationThenEveryStepSucceeds() throws Exception {
        TestKinde.reset(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        String resource = TestDeployments.issuer() + "/mcp";
        // RFC 9728 §3.1: path-inserted protected-resource metadata
        Map<String, Object> prm = Http.json(Http.get(TestDeployments.issuer() + "/.well-known/oauth-protected-resource/mcp",
                "MCP-Protocol-Version", "2025-11-25"));
        assertEquals(resource, prm.get("resource"));
        String issuer = ((List<?>) prm.get("authorization_servers")).get(0).toString();
        // RFC 8414 §3: the metadata's issuer must equal the URL it was derived from
        Map<String, Object> as = Http.json(Http.get(issuer + "/.well-known/oauth-authorization-server"));
        assertEquals(issuer, as.get("issuer"));
        assertTrue(((List<?>) as.get("code_challenge_methods_supported")).contains("S256"));

        // RFC 7591 §3.1: register as mcp-remote does
        HttpResponse<String> registered = Http.send(HttpRequest.newBuilder(URI.create((String) as.get("registration_endpoint")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"redirect_uris\":[\"" + REDIRECT + "\"],"
                        + "\"token_endpoint_auth_method\":\"none\",\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
                        + "\"response_types\":[\"code\"],\"client_name\":\"MCP CLI Client\",\"scope\":\"mcp:tools\","
                        + "\"application_type\":\"native\"}")), "Content-Type", "application/json");
        assertEquals(201, registered.statusCode(), registered.body());
        String clientId = (String) Http.json(registered).get("client_id");

        // RFC 6749 §4.1.1 with RFC 7636 and RFC 8707
        BrowserSession browser = new BrowserSession();
        String authorize = as.get("authorization_endpoint") + "?response_type=code&client_id=" + LoginDriver.enc(clientId)
                + "&code_challenge=" + LoginDriver.CHALLENGE + "&code_challenge_method=S256&redirect_uri="
                + LoginDriver.enc(REDIRECT) + "&state=s42&scope=mcp%3Aread&resource=" + LoginDriver.enc(resource);
        HttpResponse<String> consent = browser.get(authorize);
        assertEquals(200, consent.statusCode(), consent.body());
        Map<String, String> form = new LinkedHashMap<>(BrowserSession.formFields(consent.body()));
        form.put("decision", "approve");
        HttpResponse<String> toKinde = browser.postForm(issuer + "/authorize/consent", form, "Origin", issuer);
        assertEquals(303, toKinde.statusCode());
        HttpResponse<String> fromKinde = browser.get(toKinde.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> back = browser.get(fromKinde.headers().firstValue("Location").orElseThrow());
        Map<String, String> callback = BrowserSession.query(back.headers().firstValue("Location").orElseThrow());
        assertEquals("s42", callback.get("state"));
        // RFC 9207 §2.4: the client checks iss against the metadata's issuer
        assertEquals(issuer, callback.get("iss"));

        String tokenEndpoint = (String) as.get("token_endpoint");
        Map<String, String> exchange = Map.of("grant_type", "authorization_code", "code", callback.get("code"),
                "code_verifier", LoginDriver.VERIFIER, "redirect_uri", REDIRECT, "resource", resource,
                "client_id", clientId);
        Map<String, Object> tokens = TokenEndpointIT.ok(post(tokenEndpoint, exchange));
        var claims = SignedJWT.parse((String) tokens.get("access_token")).getJWTClaimsSet();
        assertEquals(KindeDemoData.BOB_ID, claims.getSubject());
        assertEquals(List.of(resource), claims.getAudience());

        Map<String, Object> refreshed = TokenEndpointIT.ok(post(tokenEndpoint, Map.of("grant_type", "refresh_token",
                "refresh_token", (String) tokens.get("refresh_token"), "resource", resource, "client_id", clientId)));
        assertTrue(refreshed.containsKey("refresh_token"));

        // RFC 7009 §2.1
        assertEquals(200, post((String) as.get("revocation_endpoint"), Map.of("token",
                (String) refreshed.get("refresh_token"), "client_id", clientId)).statusCode());
        TokenEndpointIT.error(post(tokenEndpoint, Map.of("grant_type", "refresh_token", "refresh_token",
                (String) refreshed.get("refresh_token"), "client_id", clientId)), 400, "invalid_grant");
    }

    private static HttpResponse<String> post(String url, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> LoginDriver.enc(e.getKey()) + "=" + LoginDriver.enc(e.getValue()))
                .reduce((a, b) -> a + "&" + b).orElse("");
        return Http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)),
                "Content-Type", "application/x-www-form-urlencoded");
    }
}
