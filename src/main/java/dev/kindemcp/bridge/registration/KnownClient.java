package dev.kindemcp.bridge.registration;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the authorization and token endpoints need to know about a client, however it came to be (dynamic
 * registration, operator provisioning or a Client ID Metadata Document).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-2">RFC 7591 §2 Client Metadata</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-4.1">CIMD draft-00 §4.1 Client Metadata</a>
 *
 * @param clientId      the client_id
 * @param origin        how the bridge knows the client
 * @param name          the self-asserted client_name, if any (display only, escaped)
 * @param redirectUris  the registered redirect URIs
 * @param grantTypes    the grant types it may use
 * @param scopes        the bridge scopes it may be granted (see {@link ClientDirectory} for each kind of client)
 * @param authMethod    its token endpoint authentication method
 * @param secretHash    the hash of its secret, for confidential clients
 * @param clientIdHost  the host of a CIMD client_id, shown on the consent page
 * @param clientUri     an https home page on a redirect host, if registered
 * @param resourceServer whether it is the credential of a resource server, which may introspect every bridge
 *                      access token
 */
public record KnownClient(String clientId, Origin origin, Optional<String> name, List<String> redirectUris,
        Set<String> grantTypes, List<String> scopes, String authMethod, Optional<String> secretHash,
        Optional<String> clientIdHost, Optional<String> clientUri, boolean resourceServer) {

    /** How the bridge knows a client. */
    public enum Origin {
        DCR, PROVISIONED, CIMD
    }

    public KnownClient {
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(origin, "origin must not be null");
        Objects.requireNonNull(name, "name must not be null");
        redirectUris = List.copyOf(redirectUris);
        grantTypes = Set.copyOf(grantTypes);
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(authMethod, "authMethod must not be null");
        Objects.requireNonNull(secretHash, "secretHash must not be null");
        Objects.requireNonNull(clientIdHost, "clientIdHost must not be null");
        Objects.requireNonNull(clientUri, "clientUri must not be null");
    }

    /** A client that is no resource server's credential. */
    public KnownClient(String clientId, Origin origin, Optional<String> name, List<String> redirectUris,
            Set<String> grantTypes, List<String> scopes, String authMethod, Optional<String> secretHash,
            Optional<String> clientIdHost, Optional<String> clientUri) {
        this(clientId, origin, name, redirectUris, grantTypes, scopes, authMethod, secretHash, clientIdHost,
                clientUri, false);
    }

    /** Whether the client has no secret (authenticates with {@code none}). */
    public boolean isPublic() {
        return authMethod.equals("none");
    }

    /**
     * What a request that names none of the bridge's scopes gets: the server's default scopes this client may
     * have, or everything it may have when it may have none of the defaults.
     */
    public List<String> defaultScopes(List<String> serverDefaults) {
        return defaultsWithin(serverDefaults, scopes);
    }

    /** The server's default scopes within {@code allowed}, or all of {@code allowed} when none of them is. */
    public static List<String> defaultsWithin(List<String> serverDefaults, List<String> allowed) {
        List<String> kept = serverDefaults.stream().filter(allowed::contains).toList();
        return kept.isEmpty() ? allowed : kept;
    }

    @Override
    public String toString() {
        return "KnownClient[clientId=" + clientId + ", origin=" + origin + "]";
    }
}
