package dev.kindemcp.bridge.registration;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
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
 * <p>Related specifications:
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-3">CIMD draft-00 §3 Client Identifier</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1">RFC 7591 §3.2.1 Client Information Response</a>
 */
@ApplicationScoped
public class ClientDirectory {

    private final ClientStore store;
    private final CimdResolver cimd;
    private final RedirectUriPolicy redirectPolicy;

    @Inject
    public ClientDirectory(BridgeConfig config, ClientStore store, CimdResolver cimd) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.cimd = Objects.requireNonNull(cimd, "cimd must not be null");
        this.redirectPolicy = new RedirectUriPolicy(config.registration().allowedPrivateUseRedirectUris());
    }

    ClientDirectory() { // CDI proxy
        this.store = null;
        this.cimd = null;
        this.redirectPolicy = null;
    }

    /**
     * The client, or empty when no such client exists. A CIMD document that cannot be used throws
     * {@code invalid_client}.
     */
    public Optional<KnownClient> find(String clientId) {
        if (CimdResolver.isUrlClientId(clientId)) {
            return Optional.of(fromDocument(cimd.resolve(clientId)));
        }
        return store.find(clientId).map(ClientDirectory::fromStore);
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
        return new KnownClient(document.clientId(), KnownClient.Origin.CIMD, Optional.ofNullable(md.getName()), uris,
                java.util.Set.of(GrantType.AUTHORIZATION_CODE.getValue(), GrantType.REFRESH_TOKEN.getValue()), "none",
                Optional.empty(), Optional.of(document.consentHost()), Optional.empty());
    }

    private static KnownClient fromStore(StoredClient client) {
        OIDCClientMetadata md;
        try {
            md = OIDCClientMetadata.parse(JSONObjectUtils.parse(client.metadataJson()));
        } catch (ParseException e) {
            throw new IllegalStateException("stored metadata of " + client.clientId() + " is not valid", e);
        }
        List<String> uris = md.getRedirectionURIs() == null ? List.of()
                : md.getRedirectionURIs().stream().map(URI::toString).toList();
        return new KnownClient(client.clientId(),
                client.kind() == StoredClient.Kind.DCR ? KnownClient.Origin.DCR : KnownClient.Origin.PROVISIONED,
                Optional.ofNullable(md.getName()), uris,
                md.getGrantTypes().stream().map(GrantType::getValue).collect(Collectors.toSet()),
                md.getTokenEndpointAuthMethod().getValue(), client.secretHash(), Optional.empty(),
                Optional.ofNullable(md.getURI()).map(URI::toString));
    }
}
