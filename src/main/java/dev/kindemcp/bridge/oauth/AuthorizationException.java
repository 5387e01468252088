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

    /** The title of an explained error's page. */
    private static final String NOT_SIGNED_IN = "You cannot sign in to this server";

    private final transient ValidatedRedirect redirect;
    private final String explanation;
    private final String title;

    /** An error that can only be shown to the user: client or redirect URI not trusted. */
    public AuthorizationException(ErrorObject error, String description) {
        super(error, description);
        this.redirect = null;
        this.explanation = null;
        this.title = NOT_SIGNED_IN;
    }

    /** An error that goes back to the client at its validated redirect URI. */
    public AuthorizationException(ErrorObject error, String description, ValidatedRedirect redirect) {
        this(error, description, redirect, null);
    }

    private AuthorizationException(ErrorObject error, String description, ValidatedRedirect redirect,
            String explanation) {
        this(error, description, redirect, explanation, NOT_SIGNED_IN);
    }

    private AuthorizationException(ErrorObject error, String description, ValidatedRedirect redirect,
            String explanation, String title) {
        super(error, description);
        this.redirect = java.util.Objects.requireNonNull(redirect, "redirect must not be null");
        this.explanation = explanation;
        this.title = title;
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

    /**
     * This redirected error as a page that names where its link goes, for a client this browser never approved:
     * an openly registered client could otherwise provoke errors to send users to any page it registered
     * (RFC 9700 §4.11.2).
     */
    public AuthorizationException interstitial() {
        String code = error().getCode();
        String description = error().getDescription();
        String host = java.net.URI.create(redirect.redirectUri()).getHost();
        String explained = "The sign-in request was not completed: "
                + (description == null ? code : description + " (" + code + ")")
                + ". This application has not been approved in this browser, so you are not sent back to it"
                + " automatically. Continue only if you trust the application at "
                + (host == null ? redirect.redirectUri() : host);
        return new AuthorizationException(error(), description, redirect, explained,
                "This sign-in request cannot be completed");
    }

    /** The title of the page of an explained error. */
    public String title() {
        return title;
    }

    /** What the user reads before the error goes back to the client, if the user must read something. */
    public Optional<String> explanation() {
        return Optional.ofNullable(explanation);
    }

    public Optional<ValidatedRedirect> redirect() {
        return Optional.ofNullable(redirect);
    }
}
