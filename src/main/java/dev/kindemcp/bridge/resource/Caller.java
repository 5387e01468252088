package dev.kindemcp.bridge.resource;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling the MCP endpoint, from a verified bridge access token: a user or a system actor (machine),
 * its organisation, permissions and granted scopes, and the vault entry of its Kinde tokens.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.2">RFC 9068 §2.2 Data Structure</a>
 */
public record Caller(String subject, String clientId, Set<String> scopes, Optional<String> orgCode,
        Set<String> permissions, Set<String> roles, boolean machine, Optional<String> kindeGrant) {

    /** The request attribute under which the filter leaves the caller for the MCP layer. */
    public static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        Objects.requireNonNull(subject, "subject must not be null");
        Objects.requireNonNull(clientId, "clientId must not be null");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(orgCode, "orgCode must not be null");
        permissions = Set.copyOf(permissions);
        roles = Set.copyOf(roles);
        Objects.requireNonNull(kindeGrant, "kindeGrant must not be null");
    }

    static Caller from(JWTClaimsSet claims) {
        try {
            String scope = Optional.ofNullable(claims.getStringClaim("scope")).orElse("");
            List<String> gty = claims.getClaim("gty") == null ? List.of() : claims.getStringListClaim("gty");
            return new Caller(claims.getSubject(), claims.getStringClaim("client_id"),
                    Set.copyOf(List.of(scope.isBlank() ? new String[0] : scope.trim().split(" +"))),
                    Optional.ofNullable(claims.getStringClaim("org_code")), strings(claims, "permissions"),
                    strings(claims, "roles"), gty.contains("client_credentials"),
                    Optional.ofNullable(claims.getStringClaim("kinde_grant")));
        } catch (ParseException e) {
            throw new IllegalArgumentException("bridge token claims have unexpected types", e);
        }
    }

    private static Set<String> strings(JWTClaimsSet claims, String name) throws ParseException {
        List<String> values = claims.getClaim(name) == null ? List.of() : claims.getStringListClaim(name);
        return Set.copyOf(values);
    }

    public boolean hasPermission(String permission) {
        return permissions.contains(permission);
    }
}
