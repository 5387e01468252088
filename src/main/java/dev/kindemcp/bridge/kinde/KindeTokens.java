package dev.kindemcp.bridge.kinde;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens Kinde issued for one login (or refresh). They never leave the bridge: the vault keeps them
 * encrypted, and only the tool layer receives the access token.
 *
 * <p>Related specifications:
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#TokenResponse">OpenID Connect Core 1.0 §3.1.3.3 Successful Token Response</a>
 */
public record KindeTokens(String accessToken, Optional<String> refreshToken, Optional<String> idToken,
        Instant accessExpiresAt) {

    public KindeTokens {
        Objects.requireNonNull(accessToken, "accessToken must not be null");
        Objects.requireNonNull(refreshToken, "refreshToken must not be null");
        Objects.requireNonNull(idToken, "idToken must not be null");
        Objects.requireNonNull(accessExpiresAt, "accessExpiresAt must not be null");
    }

    @Override
    public String toString() {
        return "KindeTokens[accessToken=***, refreshToken=" + (refreshToken.isPresent() ? "***" : "(none)")
                + ", accessExpiresAt=" + accessExpiresAt + "]";
    }
}
