package dev.kindemcp.bridge.oauth;

import com.nimbusds.oauth2.sdk.token.BearerTokenError;

/**
 * A request that needs a bearer token and came without a valid one: rendered as 401 (or 403) with a
 * {@code WWW-Authenticate: Bearer} challenge.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3 The WWW-Authenticate Response Header Field</a>
 */
public class BearerException extends OAuthException {

    private static final long serialVersionUID = 1L;

    private final transient BearerTokenError challenge;

    public BearerException(BearerTokenError challenge, String description) {
        super(challenge, description);
        this.challenge = challenge.getCode() == null ? challenge
                : challenge.setDescription(OAuthException.wireSafe(description));
    }

    /** No token was sent: a bare challenge, no error code (RFC 6750 §3.1). */
    public static BearerException missing(String realm) {
        return new BearerException(BearerTokenError.MISSING_TOKEN.setRealm(realm), "a bearer token is required");
    }

    /** A token was sent and is not valid here. */
    public static BearerException invalid(String realm, String description) {
        return new BearerException(BearerTokenError.INVALID_TOKEN.setRealm(realm), description);
    }

    /** The value of the WWW-Authenticate header. */
    public String wwwAuthenticate() {
        return challenge.toWWWAuthenticateHeader();
    }
}
