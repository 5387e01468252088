package dev.kindemcp.bridge.kinde;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import java.util.Objects;

/**
 * The Kinde grant behind a bridge grant cannot give a usable Kinde access token any more: it does not exist (or
 * was revoked here), Kinde revoked its refresh token (the vault has deleted it), or its access token expired and
 * nothing can renew it. At the token endpoint this is {@code invalid_grant}; at a protected resource the bridge
 * token that points to the grant is no longer usable ({@code invalid_token}).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2 Error Response (invalid_grant)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3.1">RFC 6750 §3.1 Error Codes (invalid_token)</a>
 */
public final class KindeGrantException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the grant is unusable. */
    public enum Reason {
        /** No such grant in the vault: never issued, or already revoked. */
        UNKNOWN,
        /** Kinde answered {@code invalid_grant} to the refresh; the vault deleted the grant. */
        REVOKED,
        /** The access token expired and the grant holds no refresh token (machine grants, logins without offline). */
        EXPIRED,
        /** The access token expired, Kinde refused its last renewal, and the vault waits before asking again. */
        BACKING_OFF
    }

    private final Reason reason;

    public KindeGrantException(Reason reason, String message) {
        this(reason, message, null);
    }

    public KindeGrantException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason must not be null");
    }

    public Reason reason() {
        return reason;
    }

    /** The wire error at the token endpoint: {@code invalid_grant} with a wire-safe description. */
    public ErrorObject errorObject() {
        return OAuth2Error.INVALID_GRANT.setDescription("The grant is no longer valid");
    }
}
