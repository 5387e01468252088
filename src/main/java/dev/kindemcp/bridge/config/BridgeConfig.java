package dev.kindemcp.bridge.config;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * The whole configuration of the bridge, read once from MicroProfile Config and validated at startup.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-2">RFC 8414 §2 Authorization Server Metadata (issuer)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728#section-3.3">RFC 9728 §3.3 Protected Resource Metadata Validation</a>
 */
public record BridgeConfig(
        URI issuer,
        boolean devMode,
        SecretKey masterKey,
        boolean devMasterKey,
        List<SecretKey> additionalMasterKeys,
        Optional<KindeSettings> kinde,
        Duration accessTokenLifetime,
        JWSAlgorithm signingAlgorithm,
        Duration keyRotationPeriod,
        List<String> scopesSupported,
        List<String> defaultScopes,
        RegistrationSettings registration,
        TokenSettings tokens,
        URI toolApiOrigin,
        OpenApiSettings openApi,
        Optional<String> operatorPermission) {

    /** Path of the MCP endpoint, the bridge's one protected resource. */
    public static final String MCP_PATH = "/mcp";

    public BridgeConfig {
        Objects.requireNonNull(issuer, "issuer must not be null");
        Objects.requireNonNull(masterKey, "masterKey must not be null");
        additionalMasterKeys = List.copyOf(additionalMasterKeys);
        Objects.requireNonNull(kinde, "kinde must not be null");
        Objects.requireNonNull(accessTokenLifetime, "accessTokenLifetime must not be null");
        Objects.requireNonNull(signingAlgorithm, "signingAlgorithm must not be null");
        Objects.requireNonNull(keyRotationPeriod, "keyRotationPeriod must not be null");
        scopesSupported = List.copyOf(scopesSupported);
        defaultScopes = List.copyOf(defaultScopes);
        Objects.requireNonNull(registration, "registration must not be null");
        Objects.requireNonNull(tokens, "tokens must not be null");
        Objects.requireNonNull(toolApiOrigin, "toolApiOrigin must not be null");
        Objects.requireNonNull(openApi, "openApi must not be null");
        Objects.requireNonNull(operatorPermission, "operatorPermission must not be null");
    }

    /** The issuer exactly as published in metadata: scheme, host and port, no path, no trailing slash. */
    public String issuerId() {
        return issuer.toString();
    }

    /** An absolute URL of this bridge for a path that starts with {@code /}. */
    public String url(String path) {
        return issuerId() + path;
    }

    /**
     * The tenant rule of logins, machines, the MCP endpoint and the tool APIs: when {@code kinde.allowed-org-codes}
     * is set, only a Kinde-signed {@code org_code} in it is allowed; otherwise every organisation (and none) is.
     */
    public boolean allowsOrganisation(Optional<String> orgCode) {
        Set<String> allowed = kinde.map(KindeSettings::allowedOrgCodes).orElse(Set.of());
        return allowed.isEmpty() || orgCode.map(allowed::contains).orElse(false);
    }

    /** The canonical URI of the MCP endpoint, used as {@code resource} and as the {@code aud} of bridge tokens. */
    public String mcpResource() {
        return url(MCP_PATH);
    }

    /**
     * How long a retired signing key stays published: long enough for every token it signed to expire, with
     * a margin for clock skew.
     */
    public Duration previousKeyRetention() {
        return accessTokenLifetime.plus(Duration.ofMinutes(5));
    }

    @Override
    public String toString() {
        return "BridgeConfig[issuer=" + issuer + ", devMode=" + devMode + ", masterKey=***"
                + (devMasterKey ? " (dev default)" : "")
                + (additionalMasterKeys.isEmpty() ? "" : ", additionalMasterKeys=" + additionalMasterKeys.size() + " x ***")
                + ", kinde=" + kinde.map(Object::toString).orElse("(none)")
                + ", accessTokenLifetime=" + accessTokenLifetime + ", signingAlgorithm=" + signingAlgorithm
                + ", keyRotationPeriod=" + keyRotationPeriod + ", scopesSupported=" + scopesSupported
                + ", defaultScopes=" + defaultScopes + ", registration=" + registration + ", tokens=" + tokens
                + ", toolApiOrigin=" + toolApiOrigin + ", openApi=" + openApi
                + ", operatorPermission=" + operatorPermission.orElse("(none)") + "]";
    }
}
