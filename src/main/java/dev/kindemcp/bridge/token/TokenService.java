package dev.kindemcp.bridge.token;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.RequestParameters;
import dev.kindemcp.bridge.registration.KnownClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;

/**
 * The token endpoint's protocol: authenticates the client, then hands the request to the handler of its
 * grant type.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.2">RFC 6749 §3.2 Token Endpoint</a>
 */
@ApplicationScoped
public class TokenService {

    /** The audit trail (issue 15.3). */
    @Inject
    dev.kindemcp.bridge.audit.AuditLog audit;

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    AuthorizationCodeGrantHandler codes;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    ClientCredentialsGrantHandler machines;

    @Inject
    KindeMachineGrantHandler kindeMachines;

    public IssuedTokens exchange(RequestParameters params, Optional<String> authorization, String source) {
        String grant = params.single("grant_type").orElse(null);
        Optional<ClientAuthenticator.Credentials> credentials = authenticator.credentials(params, authorization);
        String clientId = credentials.map(ClientAuthenticator.Credentials::clientId)
                .orElse(params.single("client_id").orElse(null));
        try {
            IssuedTokens issued = issue(params, authorization, credentials, source);
            Map<String, Object> claims = claims(issued.accessToken());
            audit.record("token_issued", "success", "grant_type", grant, "client", clientId,
                    "actor", claims.get("sub"), "org", claims.get("org_code"), "scope", issued.scope());
            return issued;
        } catch (OAuthException refused) {
            audit.record("token_refused", refused.error().getCode(), "grant_type", grant, "client", clientId);
            throw refused;
        }
    }

    /** The claims of an access token this server just signed (read, not verified: it never left the server). */
    private static Map<String, Object> claims(String accessToken) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(accessToken).getJWTClaimsSet().getClaims();
        } catch (java.text.ParseException e) {
            return Map.of();
        }
    }

    private IssuedTokens issue(RequestParameters params, Optional<String> authorization,
            Optional<ClientAuthenticator.Credentials> credentials, String source) {
        String grantType = params.single("grant_type")
                .orElseThrow(() -> new OAuthException(OAuth2Error.INVALID_REQUEST, "grant_type is required"));
        if (grantType.equals(GrantType.TOKEN_EXCHANGE.getValue()) && credentials.isEmpty()) {
            // RFC 8693 §2.1: the Kinde-signed subject token identifies the machine caller
            return kindeMachines.exchange(params);
        }
        if (grantType.equals(GrantType.CLIENT_CREDENTIALS.getValue()) && credentials.isPresent()
                && credentials.get().secret().isPresent() && !authenticator.knows(credentials.get().clientId())) {
            // MCP client-credentials extension: an agent authenticating with its Kinde M2M application
            return authenticator.throttledForeign(source,
                    () -> kindeMachines.clientCredentials(credentials.get(), params));
        }
        KnownClient client = authenticator.authenticate(params, authorization, source);
        if (grantType.equals(GrantType.TOKEN_EXCHANGE.getValue())) {
            return kindeMachines.exchange(params);
        }
        if (grantType.equals(GrantType.AUTHORIZATION_CODE.getValue())) {
            return codes.exchange(client, params);
        }
        if (grantType.equals(GrantType.REFRESH_TOKEN.getValue())) {
            return refreshTokens.refresh(client, params);
        }
        if (grantType.equals(GrantType.CLIENT_CREDENTIALS.getValue())) {
            return machines.issue(client, params);
        }
        throw new OAuthException(OAuth2Error.UNSUPPORTED_GRANT_TYPE, "this grant type is not supported");
    }
}
