package dev.kindemcp.bridge.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A redirect URI that has been checked against the client's registration, with the client's {@code state}:
 * the only place an authorization response (success or error) may be sent.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1">RFC 6749 §4.1.2.1 Error Response (no redirect to an unverified URI)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9207#section-2">RFC 9207 §2 Response Parameter iss</a>
 */
public record ValidatedRedirect(String clientId, String redirectUri, Optional<String> state) {

    public ValidatedRedirect {
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(redirectUri, "redirectUri must not be null");
        Objects.requireNonNull(state, "state must not be null");
    }

    /**
     * The redirect URI with the response parameters added to its query, plus {@code state} and {@code iss}.
     */
    public URI with(Map<String, String> parameters, String issuer) {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        state.ifPresent(s -> all.put("state", s));
        // RFC 9207 §2: iss in every authorization response, errors included
        all.put("iss", issuer);
        StringBuilder uri = new StringBuilder(redirectUri);
        char separator = redirectUri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : all.entrySet()) {
            uri.append(separator).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            separator = '&';
        }
        return URI.create(uri.toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
