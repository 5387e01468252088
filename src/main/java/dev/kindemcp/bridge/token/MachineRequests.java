package dev.kindemcp.bridge.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.authorization.ResourceIndicator;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.RequestParameters;
import dev.kindemcp.bridge.registration.KnownClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scope and resource of a machine token request (client_credentials, token exchange): the default scopes
 * the caller may have when none is asked, only scopes the caller may have otherwise (a provisioned client's
 * registered scope, every bridge scope for a Kinde M2M application), and only the MCP resource.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2">RFC 6749 §4.4.2 Access Token Request</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8707#section-2">RFC 8707 §2 Resource Parameter</a>
 */
final class MachineRequests {

    private MachineRequests() {
    }

    /** The scope of a Kinde M2M application's request: any bridge scope. */
    static String scope(BridgeConfig config, RequestParameters params) {
        return scope(config, params, config.scopesSupported());
    }

    /** The scope of a request by a caller that may have {@code allowed} (security-catalogue CC-03). */
    static String scope(BridgeConfig config, RequestParameters params, List<String> allowed) {
        Optional<String> requested = params.single("scope");
        if (requested.isEmpty()) {
            return String.join(" ", KnownClient.defaultsWithin(config.defaultScopes(), allowed));
        }
        List<String> asked = new ArrayList<>();
        for (String s : requested.get().trim().split(" +")) {
            if (!s.isEmpty() && !asked.contains(s)) {
                asked.add(s);
            }
        }
        if (asked.isEmpty() || !allowed.containsAll(asked)) {
            throw new OAuthException(OAuth2Error.INVALID_SCOPE, "the scope is not available to this client");
        }
        return String.join(" ", asked);
    }

    static void checkResource(BridgeConfig config, RequestParameters params) {
        if (params.count("resource") > 0 && !params.single("resource").flatMap(ResourceIndicator::canonical)
                .equals(ResourceIndicator.canonical(config.mcpResource()))) {
            throw new OAuthException(OAuth2Error.INVALID_TARGET, "the resource is not served here");
        }
    }
}
