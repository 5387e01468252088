package dev.kindemcp.bridge.kinde;

import java.util.Objects;

/**
 * A token that claims to come from Kinde was rejected: malformed, unsigned or signed with another algorithm or
 * key, issued by someone else, for another audience, expired, or of the wrong kind (a user token where a machine
 * token is required). The message names only the category, never a claim value or the token.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7519#section-7.2">RFC 7519 §7.2 Validating a JWT</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725#section-3.1">RFC 8725 §3.1 Perform Algorithm Verification</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8693#section-2.1">RFC 8693 §2.1 Request (subject_token validation)</a>
 */
public final class KindeTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the token was rejected. */
    public enum Reason {
        MALFORMED,
        UNSECURED,
        DISALLOWED_ALGORITHM,
        BAD_SIGNATURE,
        UNKNOWN_KEY,
        EXPIRED,
        CLAIMS_REJECTED,
        /** A valid Kinde token, but a user's where an M2M token is required. */
        NOT_MACHINE
    }

    private final Reason reason;

    public KindeTokenException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason must not be null");
    }

    public Reason reason() {
        return reason;
    }
}
