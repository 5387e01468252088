package dev.kindemcp.bridge.registration;

import com.nimbusds.oauth2.sdk.client.RegistrationError;
import dev.kindemcp.bridge.oauth.OAuthException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a registration request body safely: JSON media type only, size capped before parsing, a JSON object
 * with bounded nesting; and the bearer token of the Authorization header.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3.1">RFC 7591 §3.1 Client Registration Request</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-2.1">RFC 6750 §2.1 Authorization Request Header Field</a>
 */
public final class RegistrationRequests {

    private RegistrationRequests() {
    }

    /** The JSON object of the body, or an {@code invalid_client_metadata} error with status 400, 413 or 415. */
    static Map<String, Object> json(HttpServletRequest request, int maxBytes) {
        String type = Optional.ofNullable(request.getContentType()).orElse("")
                .split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json")) {
            // RFC 7591 §3.1: the request is an application/json document
            throw new OAuthException(RegistrationError.INVALID_CLIENT_METADATA.setHTTPStatusCode(415),
                    "the registration request must be application/json");
        }
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new OAuthException(RegistrationError.INVALID_CLIENT_METADATA, "the request body could not be read",
                    e.toString());
        }
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try {
            return com.nimbusds.jose.util.JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
        } catch (java.text.ParseException | RuntimeException | StackOverflowError e) {
            throw new OAuthException(RegistrationError.INVALID_CLIENT_METADATA,
                    "the request body is not a JSON object", e.getClass().getSimpleName());
        }
    }

    /** The token of an {@code Authorization: Bearer} header, if there is one. */
    public static Optional<String> bearer(HttpServletRequest request) {
        if (java.util.Collections.list(request.getHeaders("Authorization")).size() > 1) {
            // RFC 6750 §2: one token, one way; two headers are refused rather than one of them believed
            throw new OAuthException(com.nimbusds.oauth2.sdk.OAuth2Error.INVALID_REQUEST,
                    "send the bearer token once, in one Authorization header");
        }
        String header = request.getHeader("Authorization");
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static OAuthException tooLarge(int maxBytes) {
        return new OAuthException(RegistrationError.INVALID_CLIENT_METADATA.setHTTPStatusCode(413),
                "the registration request must not exceed " + maxBytes + " bytes");
    }
}
