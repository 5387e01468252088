package dev.kindemcp.bridge.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import java.util.Objects;
import java.util.Optional;

/**
 * An OAuth error as a value: a registered error code with a wire-safe description and its HTTP status, plus
 * an optional detail that only the log sees. Rendered in one place, {@link OAuthExceptionMapper}.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2 Error Response</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2">RFC 7591 §3.2.2 Client Registration Error Response</a>
 */
public class OAuthException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorObject error;
    private final String internalDetail;
    private Integer retryAfterSeconds;
    private String challenge;

    /**
     * @param error          the registered code and HTTP status (e.g. {@code OAuth2Error.INVALID_REQUEST})
     * @param description    what went wrong, shown to the client; made wire-safe here
     * @param internalDetail what the log may know in addition, or {@code null}
     */
    public OAuthException(ErrorObject error, String description, String internalDetail) {
        super(error.getCode() + ": " + description);
        this.error = Objects.requireNonNull(error, "error must not be null")
                .setDescription(wireSafe(description));
        this.internalDetail = internalDetail;
    }

    public OAuthException(ErrorObject error, String description) {
        this(error, description, null);
    }

    /** The error as sent: code, wire-safe description, HTTP status. */
    public ErrorObject error() {
        return error;
    }

    public Optional<String> internalDetail() {
        return Optional.ofNullable(internalDetail);
    }

    /** Asks the client to wait before retrying (429 and 503 answers). */
    public OAuthException retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public Optional<Integer> retryAfterSeconds() {
        return Optional.ofNullable(retryAfterSeconds);
    }

    /** Adds a {@code WWW-Authenticate} challenge to the answer (e.g. after failed Basic authentication). */
    public OAuthException challenge(String wwwAuthenticate) {
        this.challenge = wwwAuthenticate;
        return this;
    }

    public Optional<String> challenge() {
        return Optional.ofNullable(challenge);
    }

    /**
     * RFC 6749 §5.2: error_description MUST only use %x20-21 / %x23-5B / %x5D-7E; anything else becomes a
     * space, and the text is cut at 200 characters.
     */
    public static String wireSafe(String description) {
        if (description == null) {
            return null;
        }
        StringBuilder safe = new StringBuilder(Math.min(description.length(), 200));
        for (int i = 0; i < description.length() && safe.length() < 200; i++) {
            char c = description.charAt(i);
            boolean allowed = c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
            safe.append(allowed ? c : ' ');
        }
        return safe.toString();
    }
}
