package dev.kindemcp.bridge.resource;

import dev.kindemcp.bridge.config.BridgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Objects;
import java.util.Set;

/**
 * The tenant rule shared by the MCP endpoint and the tool APIs: when {@code kinde.allowed-org-codes} is set, only
 * callers whose Kinde-signed {@code org_code} is in it are served, users and system actors alike.
 *
 * <p>Related specifications:
 * @see <a href="https://docs.kinde.com/build/organizations/orgs-for-developers/">Kinde: Organizations for developers (org_code)</a>
 */
@ApplicationScoped
public class OrganisationPolicy {

    private final Set<String> allowed;

    @Inject
    public OrganisationPolicy(BridgeConfig config) {
        Objects.requireNonNull(config, "config must not be null");
        this.allowed = config.kinde().map(k -> k.allowedOrgCodes()).orElse(Set.of());
    }

    OrganisationPolicy() { // CDI proxy
        this.allowed = Set.of();
    }

    public boolean allows(Caller caller) {
        return allowed.isEmpty() || caller.orgCode().map(allowed::contains).orElse(false);
    }
}
