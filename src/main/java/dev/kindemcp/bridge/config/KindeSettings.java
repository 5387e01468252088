package dev.kindemcp.bridge.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The bridge's one static Kinde application: where Kinde is, how the bridge authenticates to it, and which
 * audience and organisations the tool APIs accept.
 *
 * <p>Related specifications:
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig">OpenID Connect Discovery 1.0 §4</a>
 */
public record KindeSettings(
        URI domain,
        String clientId,
        String clientSecret,
        List<String> audiences,
        List<String> additionalIssuers,
        Set<String> allowedOrgCodes,
        Duration connectTimeout,
        Duration readTimeout) {

    public KindeSettings {
        Objects.requireNonNull(domain, "domain must not be null");
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(clientSecret, "clientSecret must not be null");
        audiences = List.copyOf(audiences);
        additionalIssuers = List.copyOf(additionalIssuers);
        allowedOrgCodes = Set.copyOf(allowedOrgCodes);
        Objects.requireNonNull(connectTimeout, "connectTimeout must not be null");
        Objects.requireNonNull(readTimeout, "readTimeout must not be null");
    }

    /**
     * The first configured Kinde API audience: the one machine callers' Kinde M2M tokens are requested and
     * checked for. Logins ask Kinde for every configured audience.
     */
    public Optional<String> audience() {
        return audiences.isEmpty() ? Optional.empty() : Optional.of(audiences.get(0));
    }

    /**
     * Every issuer a Kinde access token may name: the login domain's first, then the other domains of the same
     * business ({@code kinde.additional-issuers}: a custom domain, or the kinde.com subdomain).
     */
    public List<String> issuers() {
        List<String> all = new java.util.ArrayList<>();
        all.add(issuer());
        additionalIssuers.stream().filter(i -> !all.contains(i)).forEach(all::add);
        return List.copyOf(all);
    }

    /** The Kinde issuer: the domain without a trailing slash, as Kinde writes it into {@code iss}. */
    public String issuer() {
        return domain.toString();
    }

    @Override
    public String toString() {
        return "KindeSettings[domain=" + domain + ", clientId=" + clientId + ", clientSecret=***, audience="
                + (audiences.isEmpty() ? "(none)" : String.join(" ", audiences)) + ", additionalIssuers=" + additionalIssuers + ", allowedOrgCodes=" + allowedOrgCodes + "]";
    }
}
