package dev.kindemcp.bridge.kinde;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Kinde could not be used: it is not configured, could not be reached in time, answered with something that is
 * not what Kinde publishes, or refused the grant or the credentials the bridge presented for someone else.
 * Messages never contain a Kinde response body; the wire error is {@code temporarily_unavailable} (503 with
 * {@code Retry-After}) or {@code server_error}, except {@code invalid_grant} for a revoked Kinde refresh token
 * and {@code invalid_client} (401) for rejected machine credentials.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1">RFC 6749 §4.1.2.1 Error Response (temporarily_unavailable, server_error)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2 Error Response (invalid_grant, invalid_client)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3">RFC 9110 §10.2.3 Retry-After</a>
 */
public final class KindeUpstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why Kinde could not be used. */
    public enum Reason {
        /** {@code kinde.domain} is not set (dev mode without Kinde). */
        NOT_CONFIGURED,
        /**
         * Connection refused or timed out, a non-2xx answer for discovery or keys, or 5xx or 429 from the token
         * endpoint.
         */
        UNREACHABLE,
        /** A 2xx answer that is not a valid discovery document or JWK set. */
        MALFORMED_RESPONSE,
        /** Kinde answered, but for another issuer or with keys on another origin. */
        MISCONFIGURED,
        /**
         * Kinde answered a login, refresh or client credentials request with an OAuth error not listed below, or
         * with tokens that are malformed or fail validation (bad signature, wrong issuer, audience or nonce,
         * expired, a user token where an M2M token belongs).
         */
        REJECTED,
        /**
         * Kinde answered a refresh with {@code invalid_grant}: the Kinde refresh token is revoked or expired, or
         * the user was removed. The bridge grant behind it is dead and its token family must be revoked.
         */
        GRANT_REVOKED,
        /**
         * Kinde answered a refresh with an OAuth error other than {@code invalid_grant} and {@code invalid_client}
         * (for example {@code invalid_request} or {@code unauthorized_client} for a rotated-out or expired refresh
         * token): the vault backs off, and ends the grant when Kinde keeps refusing.
         */
        REFRESH_REFUSED,
        /**
         * Kinde refused a machine caller's own M2M credentials ({@code invalid_client}, {@code unauthorized_client}
         * or 401): the caller answers {@code invalid_client}.
         */
        CLIENT_REJECTED
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

    /**
     * For logs: the reason, what was tried (Kinde's URL) and the root cause, e.g. {@code UNREACHABLE: Kinde at
     * https://x.kinde.com/oauth2/token could not be reached (ConnectException: Connection refused)}. Never a
     * response body.
     */
    public String describe() {
        Throwable root = getCause();
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String cause = root == null ? "" : " (" + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        return reason + ": " + getMessage() + cause;
    }

    /** Whether trying again later may help. */
    public boolean transientFailure() {
        return reason == Reason.NOT_CONFIGURED || reason == Reason.UNREACHABLE
                || reason == Reason.MALFORMED_RESPONSE;
    }

    /** The wire error: a wire-safe description, never a Kinde response body. */
    public ErrorObject errorObject() {
        return switch (reason) {
            case NOT_CONFIGURED, UNREACHABLE, MALFORMED_RESPONSE -> OAuth2Error.TEMPORARILY_UNAVAILABLE
                    .setDescription("The identity provider is unavailable").setHTTPStatusCode(503);
            // RFC 6749 §5.2: the refresh token (here: the one behind the grant) was revoked
            case GRANT_REVOKED -> OAuth2Error.INVALID_GRANT
                    .setDescription("The grant was revoked at the identity provider");
            // RFC 6749 §5.2: client authentication failed, 401
            case CLIENT_REJECTED -> OAuth2Error.INVALID_CLIENT
                    .setDescription("The identity provider refused the client credentials");
            case REJECTED, REFRESH_REFUSED -> OAuth2Error.SERVER_ERROR
                    .setDescription("The identity provider's answer could not be accepted");
            case MISCONFIGURED -> OAuth2Error.SERVER_ERROR.setDescription("The identity provider is misconfigured");
        };
    }

    /** The {@code Retry-After} to send with a 503. */
    public Optional<Duration> retryAfter() {
        return transientFailure() ? Optional.of(RETRY_AFTER) : Optional.empty();
    }
}
