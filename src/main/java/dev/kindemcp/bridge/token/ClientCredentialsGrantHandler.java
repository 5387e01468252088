package dev.kindemcp.bridge.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.authorization.ResourceIndicator;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.RequestParameters;
import dev.kindemcp.bridge.registration.KnownClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
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
        String scope = scope(params.single("scope"));
        if (params.count("resource") > 0 && !params.single("resource").flatMap(ResourceIndicator::canonical)
                .equals(ResourceIndicator.canonical(config.mcpResource()))) {
            throw new OAuthException(OAuth2Error.INVALID_TARGET, "the resource is not served here");
        }
        AccessTokenIssuer.Minted access = accessTokens.issue(new AccessTokenIssuer.Subject(
                MACHINE_SUBJECT_PREFIX + client.clientId(), client.clientId(), scope, config.mcpResource(),
                Optional.empty(), List.of(), List.of(), Optional.of(List.of("client_credentials")), Optional.empty()));
        return new IssuedTokens(access.value(), access.expiresIn(), scope, Optional.empty());
    }

    private String scope(Optional<String> requested) {
        if (requested.isEmpty()) {
            return String.join(" ", config.defaultScopes());
        }
        List<String> asked = new ArrayList<>();
        for (String s : requested.get().trim().split(" +")) {
            if (!s.isEmpty() && !asked.contains(s)) {
                asked.add(s);
            }
        }
        if (asked.isEmpty() || !config.scopesSupported().containsAll(asked)) {
            throw new OAuthException(OAuth2Error.INVALID_SCOPE, "the scope is not available to this client");
        }
        return String.join(" ", asked);
    }
}
