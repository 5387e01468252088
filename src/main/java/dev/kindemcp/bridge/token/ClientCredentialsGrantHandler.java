package dev.kindemcp.bridge.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.RequestParameters;
import dev.kindemcp.bridge.registration.KnownClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * The client_credentials grant for operator-provisioned confidential clients: a machine token (namespaced
 * {@code sub}, {@code gty}) for the MCP resource, with no refresh token.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4 Client Credentials Grant</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.15">RFC 9700 §4.15 Client Impersonating Resource Owner</a>
 */
@ApplicationScoped
public class ClientCredentialsGrantHandler {

    /** Subjects of machine tokens never collide with Kinde user ids. */
    static final String MACHINE_SUBJECT_PREFIX = "client:";

    @Inject
    BridgeConfig config;

    @Inject
    AccessTokenIssuer accessTokens;

    public IssuedTokens issue(KnownClient client, RequestParameters params) {
        // R-DCR-6: only operator-provisioned confidential clients hold client_credentials
        if (client.origin() != KnownClient.Origin.PROVISIONED || client.isPublic()
                || !client.grantTypes().contains("client_credentials")) {
            throw new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, "this client may not use client_credentials");
        }
        String scope = MachineRequests.scope(config, params, client.scopes());
        MachineRequests.checkResource(config, params);
        AccessTokenIssuer.Minted access = accessTokens.issue(new AccessTokenIssuer.Subject(
                MACHINE_SUBJECT_PREFIX + client.clientId(), client.clientId(), scope, config.mcpResource(),
                Optional.empty(), List.of(), List.of(), Optional.of(List.of("client_credentials")), Optional.empty()));
        return new IssuedTokens(access.value(), access.expiresIn(), scope, Optional.empty());
    }
}
