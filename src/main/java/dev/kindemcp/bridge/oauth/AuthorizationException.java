package dev.kindemcp.bridge.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import java.util.Optional;

/**
 * An error at the authorization endpoint: redirected to the client with {@code error}, {@code state} and
 * {@code iss} when the redirect URI has been validated, and shown as an HTML page otherwise.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1">RFC 6749 §4.1.2.1 Error Response</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9207#section-2">RFC 9207 §2 Response Parameter iss</a>
 */
public class AuthorizationException extends OAuthException {

    private static final long serialVersionUID = 1L;

    private final transient ValidatedRedirect redirect;

    /** An error that can only be shown to the user: client or redirect URI not trusted. */
    public AuthorizationException(ErrorObject error, String description) {
        super(error, description);
        this.redirect = null;
    }

    /** An error that goes back to the client at its validated redirect URI. */
    public AuthorizationException(ErrorObject error, String description, ValidatedRedirect redirect) {
        super(error, description);
        this.redirect = java.util.Objects.requireNonNull(redirect, "redirect must not be null");
    }

    public Optional<ValidatedRedirect> redirect() {
        return Optional.ofNullable(redirect);
    }
}
