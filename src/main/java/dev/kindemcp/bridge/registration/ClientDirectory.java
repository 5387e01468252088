package dev.kindemcp.bridge.registration;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.store.ClientStore;
import dev.kindemcp.bridge.store.StoredClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the client behind a client_id: an https URL is a Client ID Metadata Document, anything else a
 * registered (dynamic or provisioned) client.
 *
 * <p>The scopes a client may be granted, at {@code /authorize}, on refresh and with client_credentials:
 * <ul>
 * <li>a provisioned client: the scope the operator registered (the default scopes when none), as far as the
 * bridge still serves it;</li>
 * <li>a dynamically registered client: {@code bridge.registration.open-client-scopes}, whatever it asked for
 * at registration (RFC 7591 §2 lets the server replace the value; SDKs send the first challenge's scope there,
 * and later step up with the same registration);</li>
 * <li>a Client ID Metadata Document client: the document's {@code scope} within the open-client scopes, or all
 * open-client scopes when the document names none of them.</li>
 * </ul>
 *
 * <p>Related specifications:
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-3">CIMD draft-00 §3 Client Identifier</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1">RFC 7591 §3.2.1 Client Information Response</a>
 */
@ApplicationScoped
public class ClientDirectory {

    private final ClientStore store;
    private final CimdResolver cimd;
    private final RedirectUriPolicy redirectPolicy;
    private final List<String> supportedScopes;
    private final List<String> defaultScopes;
    private final List<String> openScopes;

    @Inject
    public ClientDirectory(BridgeConfig config, ClientStore store, CimdResolver cimd) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.cimd = Objects.requireNonNull(cimd, "cimd must not be null");
        this.redirectPolicy = new RedirectUriPolicy(config.registration().allowedPrivateUseRedirectUris());
        this.supportedScopes = config.scopesSupported();
        this.defaultScopes = config.defaultScopes();
        this.openScopes = config.registration().openClientScopes();
    }

    ClientDirectory() { // CDI proxy
        this.store = null;
        this.cimd = null;
        this.redirectPolicy = null;
        this.supportedScopes = null;
        this.defaultScopes = null;
        this.openScopes = null;
    }

    /**
     * The client, or empty when no such client exists. A CIMD document that cannot be used throws
     * {@code invalid_client}.
     */
    public Optional<KnownClient> find(String clientId) {
        if (CimdResolver.isUrlClientId(clientId)) {
            return Optional.of(fromDocument(cimd.resolve(clientId)));
        }
        return store.find(clientId).map(this::fromStore);
    }

    /**
     * A CIMD client: public, authorization_code (+ refresh_token), and only those of its document's redirect
     * URIs that the bridge's own redirect policy accepts.
     */
    private KnownClient fromDocument(CimdClient document) {
        OIDCClientMetadata md = document.metadata();
        List<String> uris = md.getRedirectionURIs().stream().map(URI::toString).toList();
        for (String uri : uris) {
            try {
                redirectPolicy.validateForRegistration(uri);
            } catch (OAuthException e) {
                throw new OAuthException(OAuth2Error.INVALID_CLIENT,
                        "the client metadata document lists a redirect URI the bridge does not accept",
                        document.clientId() + ": " + e.error().getDescription());
            }
        }
        List<String> declared = within(md.getScope(), openScopes);
        return new KnownClient(document.clientId(), KnownClient.Origin.CIMD, Optional.ofNullable(md.getName()), uris,
                java.util.Set.of(GrantType.AUTHORIZATION_CODE.getValue(), GrantType.REFRESH_TOKEN.getValue()),
                declared.isEmpty() ? openScopes : declared, "none", Optional.empty(),
                Optional.of(document.consentHost()), Optional.empty());
    }

    /** The scopes of {@code scope} that are in {@code allowed}, in the order of {@code allowed}. */
    private static List<String> within(Scope scope, List<String> allowed) {
        List<String> named = scope == null ? List.of() : scope.toStringList();
        return allowed.stream().filter(named::contains).toList();
    }

    private KnownClient fromStore(StoredClient client) {
        OIDCClientMetadata md;
        try {
            md = OIDCClientMetadata.parse(JSONObjectUtils.parse(client.metadataJson()));
        } catch (ParseException e) {
            throw new IllegalStateException("stored metadata of " + client.clientId() + " is not valid", e);
        }
        List<String> uris = md.getRedirectionURIs() == null ? List.of()
                : md.getRedirectionURIs().stream().map(URI::toString).toList();
        boolean dcr = client.kind() == StoredClient.Kind.DCR;
        List<String> scopes = dcr ? openScopes
                : md.getScope() == null ? defaultScopes : within(md.getScope(), supportedScopes);
        return new KnownClient(client.clientId(), dcr ? KnownClient.Origin.DCR : KnownClient.Origin.PROVISIONED,
                Optional.ofNullable(md.getName()), uris,
                md.getGrantTypes().stream().map(GrantType::getValue).collect(Collectors.toSet()), scopes,
                md.getTokenEndpointAuthMethod().getValue(), client.secretHash(), Optional.empty(),
                Optional.ofNullable(md.getURI()).map(URI::toString),
                !dcr && Boolean.TRUE.equals(md.getCustomField(ClientMetadataValidator.RESOURCE_SERVER)));
    }
}
