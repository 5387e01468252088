package dev.kindemcp.bridge.kinde.fake;

import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ALICE_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.API_AUDIENCE;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BOB_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BRIDGE_CLIENT_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.BRIDGE_CLIENT_SECRET;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.M2M_CLIENT_ID;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.M2M_CLIENT_SECRET;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ORG_ACME;
import static dev.kindemcp.bridge.kinde.fake.KindeDemoData.ORG_GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.kindemcp.bridge.testsupport.Http;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FakeKinde speaks Kinde's wire format: discovery and JWKS shape, the code flow with PKCE through the sign-in
 * form, Kinde's refresh behaviour, M2M client credentials, the errors of each endpoint, scripted faults and the
 * request record.
 */
class FakeKindeTest {

    private static final URI CALLBACK = URI.create("http://127.0.0.1:9080/kinde/callback");
    private static final Pattern TX = Pattern.compile("name=\"tx\" value=\"([^\"]+)\"");

    private FakeKinde kinde;

    @BeforeEach
    void start() {
        kinde = FakeKinde.start();
    }

    @AfterEach
    void stop() {
        kinde.close();
    }


    @Test
    void discoveryWhenFetchedThenKindeEndpointsAndCapabilities() throws Exception {
        HttpResponse<String> response = Http.get(kinde.issuer() + FakeKinde.DISCOVERY_PATH);

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(response.body());
        assertEquals(kinde.issuer(), metadata.getIssuer().getValue());
        assertFalse(metadata.getIssuer().getValue().endsWith("/"));
        assertEquals(kinde.issuer() + "/oauth2/auth", metadata.getAuthorizationEndpointURI().toString());
        assertEquals(kinde.issuer() + "/oauth2/token", metadata.getTokenEndpointURI().toString());
        assertEquals(kinde.issuer() + "/oauth2/v2/user_profile", metadata.getUserInfoEndpointURI().toString());
        assertEquals(kinde.issuer() + "/.well-known/jwks", metadata.getJWKSetURI().toString());
        assertEquals(kinde.issuer() + "/logout", metadata.getEndSessionEndpointURI().toString());
        assertEquals(List.of(CodeChallengeMethod.S256), metadata.getCodeChallengeMethods());
        assertEquals("RS256", metadata.getIDTokenJWSAlgs().get(0).getName());
        assertTrue(metadata.getScopes().contains("offline"));
        assertFalse(metadata.getScopes().contains("offline_access"));
        assertTrue(metadata.getGrantTypes().stream().anyMatch(g -> g.getValue().equals("client_credentials")));
    }

    @Test
    void jwksWhenFetchedThenOnlyPublicRs256SigningKeysWithKid() throws Exception {
        HttpResponse<String> response = Http.get(kinde.issuer() + FakeKinde.JWKS_PATH);

        assertEquals(200, response.statusCode());
        JWKSet set = JWKSet.parse(response.body());
        assertEquals(1, set.getKeys().size());
        RSAKey key = assertInstanceOf(RSAKey.class, set.getKeys().get(0));
        assertFalse(key.isPrivate());
        assertEquals(kinde.currentKid(), key.getKeyID());
        assertEquals("RS256", key.getAlgorithm().getName());
        assertEquals(KeyUse.SIGNATURE, key.getKeyUse());
        Map<String, Object> wireKey = JSONObjectUtils.getJSONObjectArray(JSONObjectUtils.parse(response.body()),
                "keys")[0];
        assertEquals(Set.of("kty", "e", "n", "kid", "alg", "use"), wireKey.keySet());
    }

    @Test
    void rotateKeysWhenRotatedThenOldAndNewKeysPublishedUntilDropped() throws Exception {
        String oldKid = kinde.currentKid();
        String newKid = kinde.rotateKeys();

        assertNotEquals(oldKid, newKid);
        Set<String> kids = kids(JWKSet.parse(Http.get(kinde.issuer() + FakeKinde.JWKS_PATH).body()));
        assertEquals(Set.of(oldKid, newKid), kids);
        assertEquals(newKid, SignedJWT.parse(kinde.issueUserAccessToken(ALICE_ID, ORG_ACME)).getHeader().getKeyID());

        kinde.dropRetiredKeys();
        assertEquals(Set.of(newKid), kids(JWKSet.parse(Http.get(kinde.issuer() + FakeKinde.JWKS_PATH).body())));
    }


    @Test
    void codeFlowWhenUserSignsInThroughFormThenKindeTokensAndProfile() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        Nonce nonce = new Nonce();
        URI authorize = authorizationRequest(verifier, state, nonce, Map.of("audience", API_AUDIENCE));

        HttpResponse<String> page = Http.get(authorize.toString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("alice@example.com"));
        assertTrue(page.body().contains("bob@example.com"));
        assertTrue(page.body().contains("not Kinde"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));

        HttpResponse<String> chosen = postForm(kinde.issuer() + FakeKinde.LOGIN_PATH,
                Map.of("tx", transaction(page.body()), "account", ALICE_ID + " " + ORG_ACME));
        assertEquals(302, chosen.statusCode());
        Map<String, String> callback = query(URI.create(chosen.headers().firstValue("Location").orElseThrow()));
        assertEquals(state.getValue(), callback.get("state"));
        String code = callback.get("code");
        assertNotNull(code);

        OIDCTokenResponse tokens = assertInstanceOf(OIDCTokenResponse.class, token(
                new ClientSecretBasic(new ClientID(BRIDGE_CLIENT_ID), new Secret(BRIDGE_CLIENT_SECRET)),
                new AuthorizationCodeGrant(new AuthorizationCode(code), CALLBACK, verifier)));
        assertEquals("Bearer", tokens.getOIDCTokens().getBearerAccessToken().getType().getValue());
        assertNotNull(tokens.getOIDCTokens().getRefreshToken());

        SignedJWT idToken = (SignedJWT) tokens.getOIDCTokens().getIDToken();
        assertTrue(idToken.verify(new RSASSAVerifier(publishedKey(idToken.getHeader().getKeyID()))));
        JWTClaimsSet id = idToken.getJWTClaimsSet();
        assertEquals(kinde.issuer(), id.getIssuer());
        assertEquals(ALICE_ID, id.getSubject());
        assertEquals(List.of(BRIDGE_CLIENT_ID), id.getAudience());
        assertEquals(BRIDGE_CLIENT_ID, id.getStringClaim("azp"));
        assertEquals(nonce.getValue(), id.getStringClaim("nonce"));
        assertEquals(AccessTokenHash.compute(tokens.getOIDCTokens().getAccessToken(),
                JWSAlgorithm.RS256).getValue(), id.getStringClaim("at_hash"));
        assertEquals("alice@example.com", id.getStringClaim("email"));
        assertEquals("Alice Anderson", id.getStringClaim("name"));
        assertEquals("Alice", id.getStringClaim("given_name"));
        assertEquals("Anderson", id.getStringClaim("family_name"));
        assertNull(id.getClaim("org_codes"), "org_codes is opt-in in Kinde's token customisation");
        assertNotNull(id.getLongClaim("auth_time"));
        assertTrue(id.getExpirationTime().after(id.getIssueTime()));

        SignedJWT access = SignedJWT.parse(tokens.getOIDCTokens().getAccessToken().getValue());
        assertEquals("JWT", access.getHeader().getType().getType());
        assertEquals(kinde.currentKid(), access.getHeader().getKeyID());
        Map<String, Object> claims = access.getPayload().toJSONObject();
        assertEquals(kinde.issuer(), claims.get("iss"));
        assertEquals(ALICE_ID, claims.get("sub"));
        assertEquals(List.of(API_AUDIENCE), claims.get("aud"));
        assertEquals(BRIDGE_CLIENT_ID, claims.get("azp"));
        assertEquals(ORG_ACME, claims.get("org_code"));
        assertEquals(List.of("read:notes", "write:notes"), claims.get("permissions"));
        assertNull(claims.get("roles"), "roles is opt-in in Kinde's token customisation");
        assertEquals(Map.of("t", "b", "v", true), featureFlags(claims).get("notes_v2"));
        assertEquals(Map.of("t", "s", "v", "teal"), featureFlags(claims).get("theme"));
        assertEquals(Map.of("t", "i", "v", 100L), featureFlags(claims).get("max_notes"));
        assertEquals(List.of("openid", "profile", "email", "offline"), claims.get("scp"));
        assertEquals("2", claims.get("v"));
        assertNotNull(claims.get("jti"));
        assertFalse(claims.containsKey("gty"));

        HttpResponse<String> profile = Http.get(kinde.issuer() + FakeKinde.USER_PROFILE_PATH,
                "Authorization", "Bearer " + access.serialize());
        assertEquals(200, profile.statusCode());
        Map<String, Object> user = Http.json(profile);
        assertEquals(ALICE_ID, user.get("sub"));
        assertEquals(ALICE_ID, user.get("id"));
        assertEquals("alice@example.com", user.get("email"));
        assertEquals("Alice", user.get("given_name"));
        assertEquals("Anderson", user.get("family_name"));
        assertTrue(user.containsKey("picture"));
    }

    @Test
    void authorizeWhenAutoLoginScriptedThenRedirectsAtOnceAndAccessTokenAudIsEmptyArray() throws Exception {
        kinde.autoLogin(BOB_ID, null);
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();

        HttpResponse<String> response = Http.get(authorizationRequest(verifier, state, new Nonce(), Map.of())
                .toString());

        assertEquals(302, response.statusCode());
        Map<String, String> callback = query(URI.create(response.headers().firstValue("Location").orElseThrow()));
        assertTrue(response.headers().firstValue("Location").orElseThrow().startsWith(CALLBACK.toString()));
        assertEquals(state.getValue(), callback.get("state"));
        Tokens tokens = exchange(callback.get("code"), verifier).getTokens();
        Map<String, Object> claims = SignedJWT.parse(tokens.getAccessToken().getValue()).getPayload().toJSONObject();
        assertEquals(BOB_ID, claims.get("sub"));
        assertEquals(List.of(), claims.get("aud"));
        assertEquals(List.of("read:notes"), claims.get("permissions"));
    }

    @Test
    void authorizeWhenOrgCodeRequestedThenFormOffersOnlyThatOrganisation() {
        URI authorize = authorizationRequest(new CodeVerifier(), new State(), new Nonce(),
                Map.of("org_code", ORG_GLOBEX, "login_hint", "alice@example.com"));

        String page = Http.get(authorize.toString()).body();

        assertTrue(page.contains(ALICE_ID + " " + ORG_GLOBEX));
        assertFalse(page.contains(ALICE_ID + " " + ORG_ACME));
        assertFalse(page.contains("bob@example.com"));
    }

    @Test
    void loginPageWhenUserDataContainsMarkupThenEscaped() {
        kinde.registerUser(new FakeUser("kp_e0e0", "eve@example.com", "<script>alert(1)</script>", "\"Quote'",
                List.of(new FakeUser.Membership(ORG_ACME, List.of("<b>x</b>"), List.of()))));

        String page = Http.get(authorizationRequest(new CodeVerifier(), new State(), new Nonce(), Map.of()).toString())
                .body();

        assertFalse(page.contains("<script>alert(1)</script>"));
        assertFalse(page.contains("<b>x</b>"));
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    @Test
    void loginWhenTransactionReusedThenErrorPage() {
        String page = Http.get(authorizationRequest(new CodeVerifier(), new State(), new Nonce(), Map.of()).toString())
                .body();
        Map<String, String> form = Map.of("tx", transaction(page), "account", BOB_ID + " " + ORG_ACME);

        assertEquals(302, postForm(kinde.issuer() + FakeKinde.LOGIN_PATH, form).statusCode());
        HttpResponse<String> again = postForm(kinde.issuer() + FakeKinde.LOGIN_PATH, form);

        assertEquals(400, again.statusCode());
        assertTrue(again.headers().firstValue("Location").isEmpty());
    }

    @Test
    void loginWhenCancelledThenRedirectsWithAccessDeniedAndState() {
        State state = new State();
        String page = Http.get(authorizationRequest(new CodeVerifier(), state, new Nonce(), Map.of()).toString())
                .body();

        HttpResponse<String> response = postForm(kinde.issuer() + FakeKinde.LOGIN_PATH,
                Map.of("tx", transaction(page), "cancel", "1"));

        Map<String, String> callback = query(URI.create(response.headers().firstValue("Location").orElseThrow()));
        assertEquals("access_denied", callback.get("error"));
        assertEquals(state.getValue(), callback.get("state"));
    }


    @Test
    void authorizeWhenClientUnknownThenHtml400WithoutRedirect() {
        URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
                new ClientID("nobody"), CALLBACK).state(new State()).codeChallenge(new CodeVerifier(),
                CodeChallengeMethod.S256).endpointURI(kinde.url(FakeKinde.AUTHORIZATION_PATH)).build().toURI();

        HttpResponse<String> response = Http.get(authorize.toString());

        assertEquals(400, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(response.headers().firstValue("Location").isEmpty());
    }

    @Test
    void authorizeWhenRedirectUriNotExactlyRegisteredThenHtml400WithoutRedirect() {
        URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
                new ClientID(BRIDGE_CLIENT_ID), URI.create(CALLBACK + "/")).state(new State())
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                .endpointURI(kinde.url(FakeKinde.AUTHORIZATION_PATH)).build().toURI();

        HttpResponse<String> response = Http.get(authorize.toString());

        assertEquals(400, response.statusCode());
        assertTrue(response.headers().firstValue("Location").isEmpty());
    }

    @Test
    void authorizeWhenPkceMissingThenRedirectsWithInvalidRequestAndState() {
        State state = new State();
        URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
                new ClientID(BRIDGE_CLIENT_ID), CALLBACK).state(state)
                .endpointURI(kinde.url(FakeKinde.AUTHORIZATION_PATH)).build().toURI();

        HttpResponse<String> response = Http.get(authorize.toString());

        assertEquals(302, response.statusCode());
        Map<String, String> callback = query(URI.create(response.headers().firstValue("Location").orElseThrow()));
        assertEquals("invalid_request", callback.get("error"));
        assertEquals(state.getValue(), callback.get("state"));
        assertNull(callback.get("code"));
    }

    @Test
    void authorizeWhenPromptNoneWithoutSessionThenLoginRequired() {
        URI authorize = authorizationRequest(new CodeVerifier(), new State(), new Nonce(), Map.of("prompt", "none"));

        HttpResponse<String> response = Http.get(authorize.toString());

        assertEquals("login_required",
                query(URI.create(response.headers().firstValue("Location").orElseThrow())).get("error"));
    }


    @Test
    void tokenWhenVerifierWrongThenInvalidGrant() throws Exception {
        kinde.autoLogin(ALICE_ID, ORG_ACME);
        String code = code(new CodeVerifier());

        TokenResponse response = token(basic(), new AuthorizationCodeGrant(new AuthorizationCode(code), CALLBACK,
                new CodeVerifier()));

        assertEquals(OAuth2Error.INVALID_GRANT, ((TokenErrorResponse) response).getErrorObject());
    }

    @Test
    void tokenWhenCodeReplayedThenInvalidGrant() throws Exception {
        kinde.autoLogin(ALICE_ID, ORG_ACME);
        CodeVerifier verifier = new CodeVerifier();
        String code = code(verifier);
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), CALLBACK, verifier);

        assertTrue(token(basic(), grant).indicatesSuccess());
        TokenResponse replay = token(basic(), grant);

        assertEquals(OAuth2Error.INVALID_GRANT, ((TokenErrorResponse) replay).getErrorObject());
    }

    @Test
    void tokenWhenRedirectUriDiffersThenInvalidGrant() throws Exception {
        kinde.autoLogin(ALICE_ID, ORG_ACME);
        CodeVerifier verifier = new CodeVerifier();
        String code = code(verifier);

        TokenResponse response = token(basic(), new AuthorizationCodeGrant(new AuthorizationCode(code),
                URI.create("http://localhost:9080/kinde/callback"), verifier));

        assertEquals(OAuth2Error.INVALID_GRANT, ((TokenErrorResponse) response).getErrorObject());
    }

    @Test
    void tokenWhenClientSecretWrongThenInvalidClientWith401() throws Exception {
        kinde.autoLogin(ALICE_ID, ORG_ACME);
        CodeVerifier verifier = new CodeVerifier();
        String code = code(verifier);

        HTTPResponse response = new TokenRequest(kinde.url(FakeKinde.TOKEN_PATH),
                new ClientSecretPost(new ClientID(BRIDGE_CLIENT_ID), new Secret("wrong")),
                new AuthorizationCodeGrant(new AuthorizationCode(code), CALLBACK, verifier)).toHTTPRequest().send();

        assertEquals(401, response.getStatusCode());
        assertEquals("invalid_client", response.getBodyAsJSONObject().get("error"));
    }

    @Test
    void refreshWhenAccessTokenStillValidThenSameAccessTokenAndRotatedRefreshToken() throws Exception {
        Tokens first = loginAlice();

        Tokens second = token(basic(), new RefreshTokenGrant(first.getRefreshToken())).toSuccessResponse().getTokens();

        assertEquals(first.getAccessToken().getValue(), second.getAccessToken().getValue());
        assertNotEquals(first.getRefreshToken().getValue(), second.getRefreshToken().getValue());
        assertTrue(token(basic(), new RefreshTokenGrant(first.getRefreshToken())).indicatesSuccess(),
                "Kinde's short overlap: the rotated-out refresh token still works for a moment");
        kinde.setClock(Clock.offset(Clock.systemUTC(), kinde.tenant().refreshOverlap().plusSeconds(1)));
        TokenResponse reuse = token(basic(), new RefreshTokenGrant(first.getRefreshToken()));
        assertEquals(OAuth2Error.INVALID_GRANT, ((TokenErrorResponse) reuse).getErrorObject());
    }

    @Test
    void refreshWhenAccessTokenExpiredThenNewAccessToken() throws Exception {
        Tokens first = loginAlice();
        kinde.setClock(Clock.offset(Clock.systemUTC(), FakeKinde.DEFAULT_ACCESS_TOKEN_LIFETIME.plusMinutes(1)));

        TokenResponse response = token(basic(), new RefreshTokenGrant(first.getRefreshToken()));

        OIDCTokenResponse refreshed = assertInstanceOf(OIDCTokenResponse.class, response);
        assertNotEquals(first.getAccessToken().getValue(), refreshed.getTokens().getAccessToken().getValue());
        assertNull(refreshed.getOIDCTokens().getIDToken().getJWTClaimsSet().getClaim("nonce"));
    }

    @Test
    void clientCredentialsWhenOrgScopedM2mAppThenMachineTokenWithoutSub() throws Exception {
        TokenRequest request = new TokenRequest.Builder(kinde.url(FakeKinde.TOKEN_PATH),
                new ClientSecretPost(new ClientID(M2M_CLIENT_ID), new Secret(M2M_CLIENT_SECRET)),
                new ClientCredentialsGrant()).scope(new Scope("read:notes"))
                .customParameter("audience", API_AUDIENCE).build();

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());

        Map<String, Object> claims = SignedJWT.parse(response.toSuccessResponse().getTokens().getAccessToken()
                .getValue()).getPayload().toJSONObject();
        assertFalse(claims.containsKey("sub"));
        assertEquals(List.of("client_credentials"), claims.get("gty"));
        assertEquals(M2M_CLIENT_ID, claims.get("azp"));
        assertEquals(List.of(API_AUDIENCE), claims.get("aud"));
        assertEquals(ORG_ACME, claims.get("org_code"));
        assertEquals("read:notes", claims.get("scope"));
        assertEquals(List.of("read:notes"), claims.get("scp"));
        assertEquals(kinde.issuer(), claims.get("iss"));
    }

    /** Each setting of the Kinde business changes the tokens as in Kinde. */
    @Test
    void userTokensWhenTenantSettingsSwitchedThenRolesOrgCodesHasuraAndAudienceAsKindeSendsThem() {
        kinde.setTenant(FakeTenant.kindeDefaults().withRoles());
        assertEquals(List.of(Map.of("id", "rol_0001", "key", "admin", "name", "Admin")),
                kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME, API_AUDIENCE).get("roles"));

        kinde.setTenant(FakeTenant.kindeDefaults().withRoles().withHasuraMapping());
        Map<String, Object> hasura = kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME, API_AUDIENCE);
        assertEquals(ORG_ACME, hasura.get("x-hasura-org-code"));
        assertEquals(List.of("read:notes", "write:notes"), hasura.get("x-hasura-permissions"));
        assertTrue(hasura.containsKey("x-hasura-roles") && hasura.containsKey("x-hasura-feature-flags"), "" + hasura);
        assertFalse(hasura.containsKey("org_code") || hasura.containsKey("permissions"), "" + hasura);

        kinde.setTenant(FakeTenant.kindeDefaults().withUnauthorizedAudience(API_AUDIENCE));
        assertEquals(List.of(), kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME, API_AUDIENCE).get("aud"),
                "an API not enabled for the application is left out: aud is []");
    }

    /** Kinde omits org_code, permissions and feature_flags rather than sending them empty. */
    @Test
    void userTokensWhenNoOrganisationOrNoPermissionThenClaimsLeftOut() {
        Map<String, Object> dave = kinde.userAccessTokenClaims(KindeDemoData.DAVE_ID, "", API_AUDIENCE);
        assertFalse(dave.containsKey("org_code") || dave.containsKey("permissions")
                || dave.containsKey("feature_flags"), "" + dave);
        Map<String, Object> carol = kinde.userAccessTokenClaims(KindeDemoData.CAROL_ID, KindeDemoData.ORG_GLOBEX);
        assertEquals(KindeDemoData.ORG_GLOBEX, carol.get("org_code"));
        assertFalse(carol.containsKey("permissions"), "Carol has none: " + carol);
    }

    /** Kinde puts every scope granted to the M2M app on the API into a token requested without scope. */
    @Test
    void clientCredentialsWhenNoScopeRequestedThenEveryGrantedScope() throws Exception {
        TokenRequest request = new TokenRequest.Builder(kinde.url(FakeKinde.TOKEN_PATH),
                new ClientSecretBasic(new ClientID(M2M_CLIENT_ID), new Secret(M2M_CLIENT_SECRET)),
                new ClientCredentialsGrant()).customParameter("audience", API_AUDIENCE).build();

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());

        Map<String, Object> claims = SignedJWT.parse(response.toSuccessResponse().getTokens().getAccessToken()
                .getValue()).getPayload().toJSONObject();
        assertEquals(List.of(), claims.get("scp"), "scp: the requested scopes, none");
        assertEquals(KindeDemoData.READ_NOTES, claims.get("scope"), "scope: the granted ones");
    }

    @Test
    void clientCredentialsWhenAudienceNotAuthorisedThenUnauthorizedClient() throws Exception {
        TokenRequest request = new TokenRequest.Builder(kinde.url(FakeKinde.TOKEN_PATH),
                new ClientSecretBasic(new ClientID(M2M_CLIENT_ID), new Secret(M2M_CLIENT_SECRET)),
                new ClientCredentialsGrant()).customParameter("audience", "https://other.api.example").build();

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());

        assertEquals(OAuth2Error.UNAUTHORIZED_CLIENT, ((TokenErrorResponse) response).getErrorObject());
    }

    @Test
    void clientCredentialsWhenBackEndAppUsesItThenInvalidClient() throws Exception {
        TokenRequest request = new TokenRequest.Builder(kinde.url(FakeKinde.TOKEN_PATH), basic(),
                new ClientCredentialsGrant()).customParameter("audience", API_AUDIENCE).build();

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());

        assertEquals(OAuth2Error.INVALID_CLIENT, ((TokenErrorResponse) response).getErrorObject());
    }


    @Test
    void userProfileWhenTokenForgedOrMachineThen403() throws Exception {
        Map<String, Object> claims = kinde.userAccessTokenClaims(ALICE_ID, ORG_ACME);
        String expired = kinde.sign(Map.of("iss", kinde.issuer(), "sub", ALICE_ID, "exp", 1L));
        String machine = kinde.sign(kinde.m2mAccessTokenClaims(M2M_CLIENT_ID, API_AUDIENCE));
        String foreign = JWSObject.parse(kinde.sign(claims)).getParsedParts()[0] + "."
                + Base64URL.encode(JSONObjectUtils.toJSONString(claims)) + ".AAAA";

        for (String token : List.of(expired, machine, foreign, "garbage")) {
            assertEquals(403, Http.get(kinde.issuer() + FakeKinde.USER_PROFILE_PATH, "Authorization",
                    "Bearer " + token).statusCode(), token);
        }
        assertEquals(200, Http.get(kinde.issuer() + FakeKinde.USER_PROFILE_PATH, "Authorization",
                "Bearer " + kinde.sign(claims)).statusCode());
    }

    @Test
    void logoutWhenRedirectOnRegisteredOriginThenRedirectsElse400() {
        HttpResponse<String> ok = Http.get(kinde.issuer() + "/logout?redirect="
                + URLEncoder.encode("http://localhost:9080/", StandardCharsets.UTF_8));
        HttpResponse<String> evil = Http.get(kinde.issuer() + "/logout?redirect="
                + URLEncoder.encode("https://evil.example/", StandardCharsets.UTF_8));
        HttpResponse<String> plain = Http.get(kinde.issuer() + "/logout");

        assertEquals(302, ok.statusCode());
        assertEquals("http://localhost:9080/", ok.headers().firstValue("Location").orElseThrow());
        assertEquals(400, evil.statusCode());
        assertTrue(evil.headers().firstValue("Location").isEmpty());
        assertEquals(200, plain.statusCode());
    }


    @Test
    void failNextWhenScriptedThenOneRequestFailsThenServiceResumes() {
        kinde.failNext(FakeKinde.JWKS_PATH, 503);

        HttpResponse<String> failed = Http.get(kinde.issuer() + FakeKinde.JWKS_PATH);
        HttpResponse<String> next = Http.get(kinde.issuer() + FakeKinde.JWKS_PATH);

        assertEquals(503, failed.statusCode());
        assertTrue(failed.body().contains(FakeKinde.FAULT_MARKER));
        assertEquals(200, next.statusCode());
    }

    @Test
    void failAlwaysWhenScriptedThenEveryRequestFailsUntilCleared() {
        kinde.failAlways(FakeKinde.DISCOVERY_PATH, 500);

        assertEquals(500, Http.get(kinde.issuer() + FakeKinde.DISCOVERY_PATH).statusCode());
        assertEquals(500, Http.get(kinde.issuer() + FakeKinde.DISCOVERY_PATH).statusCode());
        kinde.clearFaults();
        assertEquals(200, Http.get(kinde.issuer() + FakeKinde.DISCOVERY_PATH).statusCode());
    }

    @Test
    void delayNextWhenScriptedThenThatResponseArrivesLate() {
        kinde.delayNext(FakeKinde.DISCOVERY_PATH, Duration.ofMillis(400));

        long start = System.nanoTime();
        HttpResponse<String> delayed = Http.get(kinde.issuer() + FakeKinde.DISCOVERY_PATH);
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertEquals(200, delayed.statusCode());
        assertTrue(elapsed >= 400, "answered after " + elapsed + " ms");
    }

    @Test
    void malformNextWhenScriptedThen200WithUnparseableBody() {
        kinde.malformNext(FakeKinde.DISCOVERY_PATH);

        HttpResponse<String> response = Http.get(kinde.issuer() + FakeKinde.DISCOVERY_PATH);

        assertEquals(200, response.statusCode());
        assertThrows(Exception.class, () -> OIDCProviderMetadata.parse(response.body()));
    }

    @Test
    void requestsWhenTokenRequestedThenRecordedWithFormQueryAndHeaders() throws Exception {
        TokenRequest request = new TokenRequest.Builder(kinde.url(FakeKinde.TOKEN_PATH),
                new ClientSecretBasic(new ClientID(M2M_CLIENT_ID), new Secret(M2M_CLIENT_SECRET)),
                new ClientCredentialsGrant()).customParameter("audience", API_AUDIENCE).build();
        request.toHTTPRequest().send();
        Http.get(kinde.issuer() + FakeKinde.JWKS_PATH + "?probe=1");

        List<RecordedRequest> requests = kinde.requests();

        assertEquals(2, requests.size());
        RecordedRequest token = requests.get(0);
        assertEquals("POST", token.method());
        assertEquals(FakeKinde.TOKEN_PATH, token.path());
        assertEquals("client_credentials", token.formParam("grant_type").orElseThrow());
        assertEquals(API_AUDIENCE, token.formParam("audience").orElseThrow());
        assertTrue(token.header("authorization").orElseThrow().startsWith("Basic "));
        assertEquals("1", requests.get(1).queryParam("probe").orElseThrow());
        assertEquals(1, kinde.requestCount(FakeKinde.TOKEN_PATH));
        assertEquals(0, kinde.requestCount(FakeKinde.DISCOVERY_PATH));
    }


    private URI authorizationRequest(CodeVerifier verifier, State state, Nonce nonce, Map<String, String> extra) {
        AuthenticationRequest.Builder builder = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope("openid", "profile", "email", "offline"), new ClientID(BRIDGE_CLIENT_ID), CALLBACK)
                .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(kinde.url(FakeKinde.AUTHORIZATION_PATH));
        extra.forEach((name, value) -> builder.customParameter(name, value));
        return builder.build().toURI();
    }

    /** Runs the scripted authorization request and returns the code from the callback. */
    private String code(CodeVerifier verifier) {
        HttpResponse<String> response = Http.get(authorizationRequest(verifier, new State(), new Nonce(), Map.of())
                .toString());
        return query(URI.create(response.headers().firstValue("Location").orElseThrow())).get("code");
    }

    private Tokens loginAlice() throws Exception {
        kinde.autoLogin(ALICE_ID, ORG_ACME);
        CodeVerifier verifier = new CodeVerifier();
        return exchange(code(verifier), verifier).getTokens();
    }

    private OIDCTokenResponse exchange(String code, CodeVerifier verifier) throws Exception {
        return assertInstanceOf(OIDCTokenResponse.class, token(basic(),
                new AuthorizationCodeGrant(new AuthorizationCode(code), CALLBACK, verifier)));
    }

    private TokenResponse token(ClientAuthentication auth, AuthorizationGrant grant) throws Exception {
        HTTPResponse response = new TokenRequest(kinde.url(FakeKinde.TOKEN_PATH), auth, grant).toHTTPRequest().send();
        return OIDCTokenResponseParser.parse(response);
    }

    private static ClientSecretBasic basic() {
        return new ClientSecretBasic(new ClientID(BRIDGE_CLIENT_ID), new Secret(BRIDGE_CLIENT_SECRET));
    }

    private RSAKey publishedKey(String kid) {
        return (RSAKey) kinde.publicJwkSet().getKeyByKeyId(kid);
    }

    private static Set<String> kids(JWKSet set) {
        return set.getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> featureFlags(Map<String, Object> claims) {
        return (Map<String, Object>) claims.get("feature_flags");
    }

    private static String transaction(String page) {
        Matcher matcher = TX.matcher(page);
        assertTrue(matcher.find(), "the sign-in form carries a transaction id");
        return matcher.group(1);
    }

    private static HttpResponse<String> postForm(String url, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return Http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)),
                "Content-Type", "application/x-www-form-urlencoded");
    }

    private static Map<String, String> query(URI uri) {
        return FakeHttp.decode(uri.getRawQuery()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
    }
}
