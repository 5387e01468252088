package dev.kindemcp.bridge.token;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful token response: the access token, its lifetime, the granted scope, and a refresh token when
 * the grant has one.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.1">RFC 6749 §5.1 Successful Response</a>
 */
public record IssuedTokens(String accessToken, long expiresIn, String scope, Optional<String> refreshToken,
        Optional<String> issuedTokenType) {

    public IssuedTokens {
        Objects.requireNonNull(accessToken, "accessToken must not be null");
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(refreshToken, "refreshToken must not be null");
        Objects.requireNonNull(issuedTokenType, "issuedTokenType must not be null");
    }

    public IssuedTokens(String accessToken, long expiresIn, String scope, Optional<String> refreshToken) {
        this(accessToken, expiresIn, scope, refreshToken, Optional.empty());
    }

    /** The same answer with RFC 8693's issued_token_type. */
    public IssuedTokens withIssuedTokenType(String type) {
        return new IssuedTokens(accessToken, expiresIn, scope, refreshToken, Optional.of(type));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", accessToken);
        json.put("token_type", "Bearer");
        json.put("expires_in", expiresIn);
        json.put("scope", scope);
        refreshToken.ifPresent(rt -> json.put("refresh_token", rt));
        issuedTokenType.ifPresent(t -> json.put("issued_token_type", t));
        return json;
    }

    @Override
    public String toString() {
        return "IssuedTokens[accessToken=***, expiresIn=" + expiresIn + ", scope=" + scope + "]";
    }
}
