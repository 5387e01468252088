package dev.kindemcp.bridge.kinde;

import java.util.Objects;

/**
 * A machine caller that Kinde authenticated with its own M2M credentials: the Kinde application, the identity
 * Kinde signed into its client-credentials token (no subject, {@code gty} = client_credentials, optional
 * {@code org_code}) and that token, without a refresh token.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4 Client Credentials Grant</a>
 * @see <a href="https://docs.kinde.com/machine-to-machine-applications/about-m2m/token-structure-and-claims-for-m2m-applications">Kinde: M2M token claims</a>
 *
 * @param clientId the Kinde M2M application's client id (equal to {@code azp} when Kinde sends it)
 * @param identity the claims of the Kinde M2M access token; {@link KindeIdentity#machine()} is true
 * @param tokens   the Kinde M2M access token, for the vault; never a refresh or ID token
 */
public record KindeMachineLogin(String clientId, KindeIdentity identity, KindeTokens tokens) {

    public KindeMachineLogin {
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(identity, "identity must not be null");
        Objects.requireNonNull(tokens, "tokens must not be null");
        if (!identity.machine()) {
            throw new IllegalArgumentException("identity must be a machine identity");
        }
        if (tokens.refreshToken().isPresent() || tokens.idToken().isPresent()) {
            throw new IllegalArgumentException("a machine login holds only an access token");
        }
    }
}
