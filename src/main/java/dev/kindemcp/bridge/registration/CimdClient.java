package dev.kindemcp.bridge.registration;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A client known by its Client ID Metadata Document: the URL-form client_id, the validated metadata of the
 * document, the host to show on the consent page, when the document was fetched, and whether this copy is
 * stale (served because a refetch failed).
 *
 * <p>Nimbus metadata objects are mutable, so the record keeps and hands out copies.
 *
 * <p>Related specifications:
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-4.1">CIMD draft-00 §4.1 Client Metadata</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-6.4">CIMD draft-00 §6.4 OAuth Phishing Attacks (show the client_id host)</a>
 *
 * @param clientId    the client_id, exactly as the client sent it and as the document states it
 * @param metadata    the document parsed as client metadata (client_id itself is not part of it)
 * @param consentHost the client_id's host name in lower case, for the consent page
 * @param fetchedAt   when the document was fetched
 * @param stale       {@code true} if the copy is past its freshness and stands in for a failed refetch
 */
public record CimdClient(String clientId, OIDCClientMetadata metadata, String consentHost, Instant fetchedAt,
                         boolean stale) {

    public CimdClient {
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(metadata, "metadata must not be null");
        Objects.requireNonNull(consentHost, "consentHost must not be null");
        Objects.requireNonNull(fetchedAt, "fetchedAt must not be null");
        metadata = copy(metadata);
    }

    /** A copy of the document's metadata; changing it changes nothing here. */
    @Override
    public OIDCClientMetadata metadata() {
        return copy(metadata);
    }

    /** The document's {@code client_name}. */
    public String clientName() {
        return metadata.getName();
    }

    /** The document's {@code redirect_uris}, the only redirect URIs this client may use. */
    public Set<URI> redirectUris() {
        return Set.copyOf(metadata.getRedirectionURIs());
    }

    /** The same client flagged as served stale. */
    CimdClient asStale() {
        return new CimdClient(clientId, metadata, consentHost, fetchedAt, true);
    }

    private static OIDCClientMetadata copy(OIDCClientMetadata source) {
        try {
            return OIDCClientMetadata.parse(source.toJSONObject());
        } catch (ParseException e) {
            throw new IllegalArgumentException("client metadata does not survive a round trip", e);
        }
    }
}
