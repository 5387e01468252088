package dev.kindemcp.bridge.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.RequestParameters;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a token, revocation or introspection request: a form body of bounded size, every parameter at most
 * once.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.2">RFC 6749 §3.2 Token Endpoint (parameters at most once)</a>
 */
final class TokenRequests {

    /**
     * Room for a token of {@link dev.kindemcp.bridge.oauth.TokenSize} (a subject_token, or a token to revoke or
     * introspect) and the other parameters.
     */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private TokenRequests() {
    }

    static RequestParameters form(HttpServletRequest request) {
        String type = Optional.ofNullable(request.getContentType()).orElse("").split(";")[0].trim()
                .toLowerCase(Locale.ROOT);
        if (!type.equals("application/x-www-form-urlencoded")) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST,
                    "the request must be application/x-www-form-urlencoded");
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "the request body is too large");
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "the request body could not be read", e.toString());
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "the request body is too large");
        }
        RequestParameters params = RequestParameters.parse(new String(body, StandardCharsets.UTF_8));
        List<String> duplicates = params.duplicates();
        if (!duplicates.isEmpty()) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "parameter sent more than once: " + duplicates.get(0));
        }
        return params;
    }
}
