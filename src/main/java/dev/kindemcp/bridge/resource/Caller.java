package dev.kindemcp.bridge.resource;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.kindemcp.bridge.kinde.KindeIdentity;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Who is calling a protected resource, from a verified token: a user or a system actor (a machine), its
 * organisation, permissions, role keys, feature flags and granted scopes, and (at the MCP endpoint) the vault
 * entry of its Kinde tokens. Injectable as a request-scoped bean ({@link CallerProducer}).
 *
 * <p>Not a record so that CDI can proxy it; instances are immutable.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.2">RFC 9068 §2.2 Data Structure</a>
 * @see <a href="https://docs.kinde.com/machine-to-machine-applications/about-m2m/token-structure-and-claims-for-m2m-applications">Kinde: M2M token claims (gty, no sub)</a>
 */
public class Caller {

    /** The request attribute under which the filters leave the caller. */
    public static final String ATTRIBUTE = Caller.class.getName();

    private final String subject;
    private final String clientId;
    private final Set<String> scopes;
    private final Optional<String> orgCode;
    private final Set<String> permissions;
    private final Set<String> roles;
    private final Supplier<Map<String, Object>> featureFlags;
    private final boolean machine;
    private final Optional<String> kindeGrant;

    public Caller(String subject, String clientId, Set<String> scopes, Optional<String> orgCode,
            Set<String> permissions, Set<String> roles, Map<String, Object> featureFlags, boolean machine,
            Optional<String> kindeGrant) {
        this(subject, clientId, scopes, orgCode, permissions, roles, constant(featureFlags), machine, kindeGrant);
    }

    private Caller(String subject, String clientId, Set<String> scopes, Optional<String> orgCode,
            Set<String> permissions, Set<String> roles, Supplier<Map<String, Object>> featureFlags, boolean machine,
            Optional<String> kindeGrant) {
        this.subject = Objects.requireNonNull(subject, "subject must not be null");
        this.clientId = Objects.requireNonNull(clientId, "clientId must not be null");
        this.scopes = Set.copyOf(scopes);
        this.orgCode = Objects.requireNonNull(orgCode, "orgCode must not be null");
        this.permissions = Set.copyOf(permissions);
        this.roles = Set.copyOf(roles);
        this.featureFlags = Objects.requireNonNull(featureFlags, "featureFlags must not be null");
        this.machine = machine;
        this.kindeGrant = Objects.requireNonNull(kindeGrant, "kindeGrant must not be null");
    }

    protected Caller() { // CDI proxy
        this.subject = null;
        this.clientId = null;
        this.scopes = null;
        this.orgCode = null;
        this.permissions = null;
        this.roles = null;
        this.featureFlags = null;
        this.machine = false;
        this.kindeGrant = null;
    }

    /** The caller of a verified bridge access token (the MCP endpoint). */
    static Caller fromBridgeToken(JWTClaimsSet claims) {
        try {
            String scope = Optional.ofNullable(claims.getStringClaim("scope")).orElse("");
            List<String> gty = claims.getClaim("gty") == null ? List.of() : claims.getStringListClaim("gty");
            return new Caller(claims.getSubject(), claims.getStringClaim("client_id"), words(scope),
                    Optional.ofNullable(claims.getStringClaim("org_code")), strings(claims, "permissions"),
                    strings(claims, "roles"), Map.of(), gty.contains(KindeIdentity.CLIENT_CREDENTIALS),
                    Optional.ofNullable(claims.getStringClaim("kinde_grant")));
        } catch (ParseException | NullPointerException e) {
            throw new IllegalArgumentException("bridge token claims have unexpected types", e);
        }
    }

    /**
     * The caller of a verified Kinde access token (the tool APIs). A system actor (Kinde M2M token: {@code gty}
     * contains {@code client_credentials}, no {@code sub}) is named after its M2M application, and the API
     * scopes Kinde granted it count as its permissions, since Kinde M2M tokens carry no {@code permissions}.
     */
    public static Caller fromKinde(KindeIdentity identity) {
        String subject = identity.machineSubject().or(identity::subject)
                .orElseThrow(() -> new IllegalArgumentException("a user token needs sub"));
        return new Caller(subject, identity.authorizedParty().orElse(""), identity.scopes(), identity.orgCode(),
                identity.effectivePermissions(), identity.roles(), identity.featureFlagValues(), identity.machine(),
                Optional.empty());
    }

    /**
     * This caller with feature flags read only when a tool first asks for them (bridge tokens do not carry them;
     * they come from the caller's Kinde token in the vault).
     */
    public Caller withFeatureFlags(Supplier<Map<String, Object>> flags) {
        return new Caller(subject, clientId, scopes, orgCode, permissions, roles, once(flags), machine, kindeGrant);
    }

    private static Supplier<Map<String, Object>> constant(Map<String, Object> flags) {
        Map<String, Object> copy = Map.copyOf(flags);
        return () -> copy;
    }

    /** {@code flags}, computed at most once per caller in the usual case (a race computes it twice, harmlessly). */
    private static Supplier<Map<String, Object>> once(Supplier<Map<String, Object>> flags) {
        return new Supplier<>() {
            private volatile Map<String, Object> value;

            @Override
            public Map<String, Object> get() {
                Map<String, Object> known = value;
                if (known == null) {
                    known = Map.copyOf(flags.get());
                    value = known;
                }
                return known;
            }
        };
    }

    private static Set<String> words(String scope) {
        return scope.isBlank() ? Set.of() : Set.of(scope.trim().split(" +"));
    }

    private static Set<String> strings(JWTClaimsSet claims, String name) throws ParseException {
        List<String> values = claims.getClaim(name) == null ? List.of() : claims.getStringListClaim(name);
        return Set.copyOf(values);
    }

    /** {@code sub} of a user; {@code client:<id>} or {@code kinde-m2m:<id>} of a machine. */
    public String subject() {
        return subject;
    }

    /** The OAuth client the token was issued to (at a tool API: Kinde's {@code azp}). */
    public String clientId() {
        return clientId;
    }

    public Set<String> scopes() {
        return scopes;
    }

    public Optional<String> orgCode() {
        return orgCode;
    }

    /** Kinde permissions of the user; for a system actor, the API scopes of its M2M application. */
    public Set<String> permissions() {
        return permissions;
    }

    /** Kinde role keys. */
    public Set<String> roles() {
        return roles;
    }

    /** Kinde feature flags of the organisation: key to Boolean, Long, Double or String. */
    public Map<String, Object> featureFlags() {
        return featureFlags.get();
    }

    /** A system actor: a machine with no human user behind it. */
    public boolean machine() {
        return machine;
    }

    /** The vault entry of the caller's Kinde tokens (bridge tokens only). */
    public Optional<String> kindeGrant() {
        return kindeGrant;
    }

    public boolean hasPermission(String permission) {
        return permissions.contains(permission);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** The value of a feature flag, if the organisation has it. */
    public Optional<Object> featureFlag(String key) {
        return Optional.ofNullable(featureFlags().get(key));
    }

    @Override
    public String toString() {
        return "Caller[" + subject + (machine ? " (machine)" : "") + " in " + orgCode.orElse("(no organisation)") + "]";
    }
}
