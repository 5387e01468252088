package dev.kindemcp.bridge.tools.otherwar;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The organisation allowlist for an API in another WAR, which has no bridge classes: the Kinde-signed
 * {@code org_code} of the verified token must be in {@code kinde.allowed-org-codes} (test only; the README's
 * recipe).
 */
@Provider
public class InventoryOrganisationFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        Set<String> allowed = ConfigProvider.getConfig().getOptionalValue("kinde.allowed-org-codes", String.class)
                .map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toSet()))
                .orElse(Set.of());
        if (allowed.isEmpty() || !(request.getSecurityContext().getUserPrincipal() instanceof JsonWebToken token)) {
            return;
        }
        Object org = token.getClaim("org_code");
        if (org == null || !allowed.contains(org.toString().replace("\"", ""))) {
            request.abortWith(Response.status(Response.Status.FORBIDDEN).build());
        }
    }
}
