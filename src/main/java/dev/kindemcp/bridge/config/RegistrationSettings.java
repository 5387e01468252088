package dev.kindemcp.bridge.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The registration policy: who may register, how often, which redirect URIs outside https and loopback are
 * allowed, how long unused clients live, and the scopes that clients nobody vetted (dynamic registration,
 * Client ID Metadata Documents) may be granted.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3">RFC 7591 §3 Client Registration Endpoint</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8252#section-7.1">RFC 8252 §7.1 Private-Use URI Scheme Redirection</a>
 */
public record RegistrationSettings(
        int maxRequestBytes,
        int ratePerMinute,
        Optional<String> initialAccessToken,
        List<String> allowedPrivateUseRedirectUris,
        Duration unusedClientLifetime,
        List<String> trustedProxies,
        Optional<String> adminToken,
        List<String> openClientScopes) {

    public RegistrationSettings {
        Objects.requireNonNull(initialAccessToken, "initialAccessToken must not be null");
        allowedPrivateUseRedirectUris = List.copyOf(allowedPrivateUseRedirectUris);
        Objects.requireNonNull(unusedClientLifetime, "unusedClientLifetime must not be null");
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(adminToken, "adminToken must not be null");
        openClientScopes = List.copyOf(openClientScopes);
    }

    @Override
    public String toString() {
        return "RegistrationSettings[maxRequestBytes=" + maxRequestBytes + ", ratePerMinute=" + ratePerMinute
                + ", initialAccessToken=" + (initialAccessToken.isPresent() ? "***" : "(open registration)")
                + ", allowedPrivateUseRedirectUris=" + allowedPrivateUseRedirectUris + ", unusedClientLifetime="
                + unusedClientLifetime + ", trustedProxies=" + trustedProxies + ", adminToken="
                + (adminToken.isPresent() ? "***" : "(admin API off)") + ", openClientScopes=" + openClientScopes
                + "]";
    }
}
