package dev.kindemcp.bridge.kinde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.FakeTenant;
import dev.kindemcp.bridge.kinde.fake.FakeUser;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.McpCalls;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a real Kinde business sends, through a login and a tool-API call on Liberty, with the development
 * provider switched to each variant: users without an organisation, roles switched on or off, the Hasura
 * mapping, M2M tokens with {@code scp: []}, and access tokens longer than 16 KiB.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KindeTenantVariantsIT {

    static final String AUDIENCE = "https://api.example.test";

    @Deployment(name = "open", order = 1)
    static WebArchive open() {
        return TestDeployments.bridge("variants-open", TestDeployments.unthrottledConfig());
    }

    /** The login of one user into {@code org} ("" for none) under {@code tenant}: the bridge access token. */
    private static String loginToken(String userId, String org, FakeTenant tenant) {
        FakeKinde kinde = TestKinde.reset(userId, org);
        kinde.setTenant(tenant);
        LoginDriver.Client client = LoginDriver.register("none");
        HttpResponse<String> token = LoginDriver.token(LoginDriver.codeExchange(client,
                LoginDriver.code(client, "mcp:read")));
        assertEquals(200, token.statusCode(), token.body());
        return (String) Http.json(token).get("access_token");
    }

    /** The claims of the bridge token of such a login. */
    private static Map<String, Object> login(String userId, String org, FakeTenant tenant) throws Exception {
        return SignedJWT.parse(loginToken(userId, org, tenant)).getJWTClaimsSet().toJSONObject();
    }

    private static HttpResponse<String> toolApi(String method, String path, String kindeToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestDeployments.issuer() + path));
        request = method.equals("POST") ? request.POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}"))
                : request.GET();
        return Http.send(request, "Content-Type", "application/json", "Authorization", "Bearer " + kindeToken);
    }

    @Test
    @OperateOnDeployment("open")
    void loginWhenUserBelongsToNoOrganisationThenSignedInWithoutOrgCode() throws Exception {
        Map<String, Object> bridge = login(KindeDemoData.DAVE_ID, "", FakeTenant.kindeDefaults());
        assertEquals(KindeDemoData.DAVE_ID, bridge.get("sub"));
        assertFalse(bridge.containsKey("org_code"), "no organisation, no org_code: " + bridge);
        assertEquals(List.of(), bridge.get("permissions"));

        FakeKinde kinde = TestKinde.get();
        HttpResponse<String> me = toolApi("GET", "/api/me", kinde.issueUserAccessToken(KindeDemoData.DAVE_ID, "",
                AUDIENCE));
        assertEquals(200, me.statusCode(), me.body());
        assertEquals(null, Http.json(me).get("org_code"), "tools see no organisation");
    }

    @Test
    @OperateOnDeployment("open")
    void loginWhenRolesSwitchedOnOrOffInKindeThenRoleKeysOrNone() throws Exception {
        assertEquals(List.of(), login(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME, FakeTenant.kindeDefaults())
                .get("roles"), "Kinde's default: no roles claim");
        assertEquals(List.of("admin"), login(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME,
                FakeTenant.kindeDefaults().withRoles()).get("roles"));
    }

    /** Decision: the Hasura mapping's names are read as the plain claims, at login and at the tool APIs. */
    @Test
    @OperateOnDeployment("open")
    void loginAndToolApiWhenHasuraMappingThenReadAsThePlainClaims() throws Exception {
        FakeTenant hasura = FakeTenant.kindeDefaults().withRoles().withHasuraMapping();
        Map<String, Object> bridge = login(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME, hasura);
        assertEquals(KindeDemoData.ORG_ACME, bridge.get("org_code"));
        assertEquals(List.of("admin"), bridge.get("roles"));
        assertTrue(((List<?>) bridge.get("permissions")).contains("write:notes"), "" + bridge);

        FakeKinde kinde = TestKinde.get();
        String alice = kinde.issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME, AUDIENCE);
        assertTrue(SignedJWT.parse(alice).getJWTClaimsSet().getClaim("x-hasura-permissions") != null);
        HttpResponse<String> write = toolApi("POST", "/api/notes", alice);
        assertTrue(write.statusCode() == 200 || write.statusCode() == 201, write.statusCode() + " " + write.body());
        HttpResponse<String> read = toolApi("GET", "/api/notes", kinde.issueUserAccessToken(KindeDemoData.BOB_ID,
                KindeDemoData.ORG_ACME, AUDIENCE));
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(KindeDemoData.ORG_ACME, Http.json(read).get("org_code"));
        assertEquals(403, toolApi("POST", "/api/notes", kinde.issueUserAccessToken(KindeDemoData.BOB_ID,
                KindeDemoData.ORG_ACME, AUDIENCE)).statusCode(), "@RolesAllowed still reads Kinde permissions");
    }

    /** Kinde's M2M token asked for no scope: {@code scp: []}, the granted scopes only in the {@code scope} string. */
    @Test
    @OperateOnDeployment("open")
    void toolApiWhenM2mTokenHasEmptyScpAndScopeStringThenScopesGranted() throws Exception {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        HttpResponse<String> token = Http.send(HttpRequest.newBuilder(kinde.url(FakeKinde.TOKEN_PATH))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                        + TestKinde.AGENT_ID + "&client_secret=" + TestKinde.AGENT_SECRET + "&audience="
                        + LoginDriver.enc(AUDIENCE))), "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(200, token.statusCode(), token.body());
        String m2m = (String) Http.json(token).get("access_token");
        Map<String, Object> claims = SignedJWT.parse(m2m).getJWTClaimsSet().toJSONObject();
        assertEquals(List.of(), claims.get("scp"));
        assertEquals("read:notes write:notes", claims.get("scope"));
        HttpResponse<String> notes = toolApi("GET", "/api/notes", m2m);
        assertEquals(200, notes.statusCode(), notes.body());
    }

    /**
     * A tenant with many permissions: a Kinde access token of about 20 KiB goes through the login, the vault, the
     * bridge token at /mcp and the nested tool-API call (the documented bound is the 32 KiB header limit).
     */
    @Test
    @OperateOnDeployment("open")
    void loginAndToolCallWhenKindeAccessTokenLongerThan16KiBThenAccepted() throws Exception {
        FakeKinde kinde = TestKinde.get();
        List<String> permissions = new ArrayList<>(List.of("read:notes", "write:notes"));
        for (int i = 0; i < 600; i++) {
            permissions.add(String.format("perm:resource-%06d", i));
        }
        String bigId = "kp_b1900000000000000000000000000b19";
        kinde.registerUser(new FakeUser(bigId, "big@example.com", "Big", "Tenant", List.of(
                new FakeUser.Membership(KindeDemoData.ORG_ACME, permissions, List.of()))));
        String kindeToken = kinde.issueUserAccessToken(bigId, KindeDemoData.ORG_ACME, AUDIENCE);
        assertTrue(kindeToken.length() > 16 * 1024, "a token longer than 16 KiB: " + kindeToken.length());
        assertEquals(200, toolApi("GET", "/api/notes", kindeToken).statusCode());

        String access = loginToken(bigId, KindeDemoData.ORG_ACME, FakeTenant.kindeDefaults());
        assertEquals(602, ((List<?>) SignedJWT.parse(access).getJWTClaimsSet().getClaim("permissions")).size());
        Map<String, Object> whoami = McpCalls.whoami(TestDeployments.issuer(), access);
        Map<?, ?> seen = assertInstanceOf(Map.class, whoami.get("tool_api_sees"), "" + whoami);
        assertEquals(bigId, seen.get("subject"), "the nested tool-API call carried the large Kinde token: " + seen);
    }

    /** Kinde's own errors reach the MCP client with the same code: prompt=none without a session, and Cancel. */
    @Test
    @OperateOnDeployment("open")
    void loginWhenKindeAnswersLoginRequiredOrAccessDeniedThenTheClientGetsTheSameError() {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        kinde.manualLogin();
        dev.kindemcp.bridge.testsupport.BrowserSession browser = new dev.kindemcp.bridge.testsupport.BrowserSession();
        String redirect = "http://127.0.0.1/callback";
        String clientId = dev.kindemcp.bridge.authorization.AuthorizationSteps.register(redirect);
        Map<String, String> silent = dev.kindemcp.bridge.authorization.AuthorizationSteps.clientAnswer(browser,
                clientId, redirect, "&prompt=none", null);
        assertEquals("login_required", silent.get("error"), "" + silent);
        assertEquals(TestDeployments.issuer(), silent.get("iss"));
        Map<String, String> cancelled = dev.kindemcp.bridge.authorization.AuthorizationSteps.clientAnswer(
                browser, clientId, redirect, "", "cancel");
        assertEquals("access_denied", cancelled.get("error"), "" + cancelled);
    }
}
