package dev.kindemcp.bridge.kinde;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Kinde could not be used: it is not configured, could not be reached in time, or answered with something that
 * is not what Kinde publishes. Messages never contain a Kinde response body; the wire error is
 * {@code temporarily_unavailable} (503 with {@code Retry-After}) or {@code server_error}.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1">RFC 6749 §4.1.2.1 Error Response (temporarily_unavailable, server_error)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3">RFC 9110 §10.2.3 Retry-After</a>
 */
public final class KindeUpstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why Kinde could not be used. */
    public enum Reason {
        /** {@code kinde.domain} is not set (dev mode without Kinde). */
        NOT_CONFIGURED,
        /** Connection refused, timed out, or a non-2xx status. */
        UNREACHABLE,
        /** A 2xx answer that is not a valid discovery document or JWK set. */
        MALFORMED_RESPONSE,
        /** Kinde answered, but for another issuer or with keys on another origin. */
        MISCONFIGURED,
        /**
         * Kinde answered a login with an OAuth error, or with tokens that are malformed or fail validation (bad
         * signature, wrong issuer, audience or nonce, expired).
         */
        REJECTED
    }

    /** How long a caller should wait before trying again after a transient failure. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final Reason reason;

    public KindeUpstreamException(Reason reason, String message) {
        this(reason, message, null);
    }

    public KindeUpstreamException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason must not be null");
    }

    public Reason reason() {
        return reason;
    }

    /** Whether trying again later may help. */
    public boolean transientFailure() {
        return reason != Reason.MISCONFIGURED && reason != Reason.REJECTED;
    }

    /** The wire error: a wire-safe description, never a Kinde response body. */
    public ErrorObject errorObject() {
        if (transientFailure()) {
            return OAuth2Error.TEMPORARILY_UNAVAILABLE.setDescription("The identity provider is unavailable")
                    .setHTTPStatusCode(503);
        }
        return OAuth2Error.SERVER_ERROR.setDescription(reason == Reason.REJECTED
                ? "The identity provider's answer could not be accepted" : "The identity provider is misconfigured");
    }

    /** The {@code Retry-After} to send with a 503. */
    public Optional<Duration> retryAfter() {
        return transientFailure() ? Optional.of(RETRY_AFTER) : Optional.empty();
    }
}
