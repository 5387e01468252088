package dev.kindemcp.bridge.kinde.fake;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Kinde machine-to-machine application: gets tokens with the client credentials grant for the APIs
 * (audiences) it is authorised for, with the scopes assigned to it; an org-scoped app adds {@code org_code}.
 *
 * <p>Related specifications:
 * @see <a href="https://docs.kinde.com/machine-to-machine-applications/about-m2m/token-structure-and-claims-for-m2m-applications">Kinde: M2M token structure and claims</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4 Client Credentials Grant</a>
 */
public record FakeM2mApp(String clientId, String clientSecret, Optional<String> orgCode, Set<String> audiences,
        Set<String> scopes) {

    public FakeM2mApp {
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(clientSecret, "clientSecret must not be null");
        Objects.requireNonNull(orgCode, "orgCode must not be null");
        audiences = Set.copyOf(audiences);
        scopes = Set.copyOf(scopes);
    }
}
