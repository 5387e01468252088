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
    private final String explanation;

    /** An error that can only be shown to the user: client or redirect URI not trusted. */
    public AuthorizationException(ErrorObject error, String description) {
        super(error, description);
        this.redirect = null;
        this.explanation = null;
    }

    /** An error that goes back to the client at its validated redirect URI. */
    public AuthorizationException(ErrorObject error, String description, ValidatedRedirect redirect) {
        this(error, description, redirect, null);
    }

    private AuthorizationException(ErrorObject error, String description, ValidatedRedirect redirect,
            String explanation) {
        super(error, description);
        this.redirect = java.util.Objects.requireNonNull(redirect, "redirect must not be null");
        this.explanation = explanation;
    }

    /**
     * An error the user must understand before it goes back to the client: a page shows {@code explanation}
     * (which may be long and name settings), and its link returns the error with the short {@code description}
     * to the client's validated redirect URI.
     */
    public static AuthorizationException explained(ErrorObject error, String description, String explanation,
            ValidatedRedirect redirect) {
        return new AuthorizationException(error, description, redirect,
                java.util.Objects.requireNonNull(explanation, "explanation must not be null"));
    }

    /** What the user reads before the error goes back to the client, if the user must read something. */
    public Optional<String> explanation() {
        return Optional.ofNullable(explanation);
    }

    public Optional<ValidatedRedirect> redirect() {
        return Optional.ofNullable(redirect);
    }
}
