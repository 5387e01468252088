package dev.kindemcp.bridge.registration;

import java.util.Objects;

/**
 * Why a client_id URL or its document cannot be used, inside the CIMD resolver; {@link CimdResolver} turns it
 * into an {@code invalid_client} {@link dev.kindemcp.bridge.oauth.OAuthException}. A failure is either
 * <em>unavailable</em> (the host is down, slow, or serves an error page: a stale copy may stand in) or
 * <em>rejected</em> (the URL, the address, the answer or the document is not acceptable: never masked).
 *
 * <p>Related specifications:
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-4.3">CIMD draft-00 §4.3 Metadata Discovery Errors</a>
 */
final class CimdException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean unavailable;
    private final String internalDetail;

    private CimdException(boolean unavailable, String description, String internalDetail, Throwable cause) {
        super(Objects.requireNonNull(description, "description must not be null"), cause);
        this.unavailable = unavailable;
        this.internalDetail = internalDetail;
    }

    /** The host could not deliver a usable answer this time; a cached copy may stand in. */
    static CimdException unavailable(String description, String internalDetail, Throwable cause) {
        return new CimdException(true, description, internalDetail, cause);
    }

    static CimdException unavailable(String description, String internalDetail) {
        return unavailable(description, internalDetail, null);
    }

    /** The URL, address or document breaks a rule; no cached copy may stand in. */
    static CimdException rejected(String description, String internalDetail) {
        return new CimdException(false, description, internalDetail, null);
    }

    boolean unavailable() {
        return unavailable;
    }

    /** Wire-safe text for the client; never contains the document body. */
    String description() {
        return getMessage();
    }

    /** What the log may know in addition. */
    String internalDetail() {
        return internalDetail;
    }
}
