package dev.kindemcp.bridge.oauth;

/**
 * The longest token the bridge accepts, Kinde's or its own: 30 KiB. Kinde access tokens of businesses with many
 * permissions and feature flags pass 16 KiB; a token travels in an {@code Authorization} header, and the
 * application server limits a header field to 32 KiB, so 30 KiB leaves room for the header name and scheme.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-2.1">RFC 6750 §2.1 Authorization Request Header Field</a>
 * @see <a href="https://docs.kinde.com/build/tokens/about-access-tokens/">Kinde: Access tokens (claims that grow with permissions and flags)</a>
 */
public final class TokenSize {

    /** The largest token accepted, in characters of its compact serialisation. */
    public static final int MAX_JWT_LENGTH = 30 * 1024;

    private TokenSize() {
    }
}
