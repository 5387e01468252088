package dev.kindemcp.bridge.kinde;

import java.util.Objects;
import java.util.Optional;

/**
 * A completed Kinde login: who logged in (from the Kinde-signed ID and access tokens only) and the tokens.
 *
 * <p>Related specifications:
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#IDToken">OpenID Connect Core 1.0 §2 ID Token</a>
 *
 * @param subject  the Kinde user id ({@code sub} of the ID token)
 * @param email    the user's e-mail, if Kinde sent one
 * @param identity the claims of the Kinde access token (org_code, permissions, roles, feature flags)
 * @param tokens   the Kinde tokens, for the vault
 */
public record KindeLogin(String subject, Optional<String> email, KindeIdentity identity, KindeTokens tokens) {

    public KindeLogin {
        Objects.requireNonNull(subject, "subject must not be null");
        Objects.requireNonNull(email, "email must not be null");
        Objects.requireNonNull(identity, "identity must not be null");
        Objects.requireNonNull(tokens, "tokens must not be null");
    }
}
