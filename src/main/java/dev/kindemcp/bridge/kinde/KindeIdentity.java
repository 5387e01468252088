package dev.kindemcp.bridge.kinde;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.GrantType;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a verified Kinde access token speaks for: a user ({@code sub} = {@code kp_...}) or a machine (an M2M app:
 * {@code gty} contains {@code client_credentials} and there is no {@code sub}), with the organisation,
 * permissions, role keys, feature flags, scopes and audiences Kinde signed into it. Kinde leaves out
 * {@code org_code}, {@code permissions} and {@code feature_flags} when they do not apply and {@code roles} unless
 * the business switched them on; the Hasura mapping's {@code x-hasura-…} names are read as the plain claims.
 *
 * <p>Related specifications:
 * @see <a href="https://docs.kinde.com/build/tokens/about-access-tokens/">Kinde: Access tokens</a>
 * @see <a href="https://docs.kinde.com/machine-to-machine-applications/about-m2m/token-structure-and-claims-for-m2m-applications">Kinde: M2M token claims</a>
 * @see <a href="https://docs.kinde.com/build/tokens/token-customization/">Kinde: Token customization (roles, Hasura mapping)</a>
 * @see <a href="https://docs.kinde.com/build/organizations/orgs-for-developers/">Kinde: Organizations for developers (no org_code without an organisation)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7519#section-4.1">RFC 7519 §4.1 Registered Claim Names</a>
 */
public record KindeIdentity(
        Optional<String> subject,
        Optional<String> authorizedParty,
        Optional<String> orgCode,
        Set<String> permissions,
        Set<String> roles,
        Map<String, KindeFeatureFlag> featureFlags,
        Set<String> grantTypes,
        Set<String> audience,
        Set<String> scopes,
        Instant expiresAt,
        Optional<Instant> issuedAt,
        Optional<String> tokenId) {

    /** The {@code gty} value of tokens from the client credentials grant. */
    public static final String CLIENT_CREDENTIALS = GrantType.CLIENT_CREDENTIALS.getValue();

    /** The subject prefix of machines known by their Kinde M2M application. */
    public static final String MACHINE_SUBJECT_PREFIX = "kinde-m2m:";

    public KindeIdentity {
        Objects.requireNonNull(subject, "subject must not be null");
        Objects.requireNonNull(authorizedParty, "authorizedParty must not be null");
        Objects.requireNonNull(orgCode, "orgCode must not be null");
        permissions = Set.copyOf(permissions);
        roles = Set.copyOf(roles);
        featureFlags = Map.copyOf(featureFlags);
        grantTypes = Set.copyOf(grantTypes);
        audience = Set.copyOf(audience);
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(expiresAt, "expiresAt must not be null");
        Objects.requireNonNull(issuedAt, "issuedAt must not be null");
        Objects.requireNonNull(tokenId, "tokenId must not be null");
    }

    /** An M2M caller: Kinde's client credentials token, which has no subject. */
    public boolean machine() {
        return grantTypes.contains(CLIENT_CREDENTIALS) && subject.isEmpty();
    }

    public boolean hasPermission(String permission) {
        return permissions.contains(permission);
    }

    /**
     * What this identity may do: a user's Kinde permissions; for a machine, also the API scopes Kinde granted its
     * M2M application (Kinde M2M tokens carry scopes, not permissions).
     */
    public Set<String> effectivePermissions() {
        if (!machine()) {
            return permissions;
        }
        Set<String> all = new LinkedHashSet<>(permissions);
        all.addAll(scopes);
        return Set.copyOf(all);
    }

    /** The feature flags as plain values (Boolean, Long, Double or String) by key. */
    public Map<String, Object> featureFlagValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        featureFlags.forEach((key, flag) -> values.put(key, flag.value()));
        return values;
    }

    /** The bridge's subject for a machine: its M2M application's client id, namespaced. */
    public Optional<String> machineSubject() {
        return machine() ? authorizedParty().map(id -> MACHINE_SUBJECT_PREFIX + id) : Optional.empty();
    }

    /**
     * Reads the Kinde claims of a token whose signature, issuer, audience and expiry were verified elsewhere
     * (by MicroProfile JWT at the tool APIs); never call it on an unverified token.
     *
     * @throws KindeTokenException when the token is not a JWS or a claim has the wrong JSON type
     */
    public static KindeIdentity ofVerifiedToken(String rawToken) {
        try {
            return parse(com.nimbusds.jwt.SignedJWT.parse(rawToken).getJWTClaimsSet());
        } catch (ParseException | NullPointerException e) {
            throw new KindeTokenException(KindeTokenException.Reason.CLAIMS_REJECTED, "not a Kinde JWT", e);
        }
    }

    /**
     * Reads the Kinde claims of a verified token. A claim of the wrong JSON type makes the whole token invalid.
     */
    static KindeIdentity parse(JWTClaimsSet claims) {
        try {
            Date exp = claims.getExpirationTime();
            if (exp == null) {
                throw new ParseException("exp is missing", 0);
            }
            return new KindeIdentity(
                    text(claims.getSubject()),
                    text(claims.getStringClaim("azp")),
                    text(claims.getStringClaim(kindeClaim(claims, "org_code"))),
                    strings(claims, kindeClaim(claims, "permissions")),
                    roles(claims.getClaim(kindeClaim(claims, "roles"))),
                    featureFlags(claims.getJSONObjectClaim(kindeClaim(claims, "feature_flags"))),
                    strings(claims, "gty"),
                    new LinkedHashSet<>(claims.getAudience()),
                    scopes(claims),
                    exp.toInstant(),
                    Optional.ofNullable(claims.getIssueTime()).map(Date::toInstant),
                    text(claims.getJWTID()));
        } catch (ParseException | ClassCastException | IllegalArgumentException e) {
            throw new KindeTokenException(KindeTokenException.Reason.CLAIMS_REJECTED,
                    "Kinde token claims have unexpected types", e);
        }
    }

    /**
     * The name under which this token carries one of Kinde's own claims: the plain name, or the name Kinde's
     * Hasura mapping (Token integrations → Hasura) gives it ({@code x-hasura-org-code}, {@code
     * x-hasura-permissions}, {@code x-hasura-roles}, {@code x-hasura-feature-flags}), top-level like the plain
     * ones. A token carries one set or the other; the plain name wins if both are present.
     */
    static String kindeClaim(JWTClaimsSet claims, String plain) {
        if (claims.getClaim(plain) != null) {
            return plain;
        }
        String hasura = "x-hasura-" + plain.replace('_', '-');
        return claims.getClaim(hasura) != null ? hasura : plain;
    }

    private static Optional<String> text(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    /** A claim that Kinde writes as an array of strings; a single string is accepted as a one-element array. */
    private static Set<String> strings(JWTClaimsSet claims, String name) throws ParseException {
        Object value = claims.getClaim(name);
        if (value instanceof String single) {
            return single.isBlank() ? Set.of() : Set.of(single);
        }
        List<String> list = claims.getStringListClaim(name);
        return list == null ? Set.of() : new LinkedHashSet<>(list);
    }

    /** Kinde's {@code roles}: objects with {@code id}, {@code key} and {@code name}; the keys are kept. */
    private static Set<String> roles(Object claim) throws ParseException {
        if (claim == null) {
            return Set.of();
        }
        if (!(claim instanceof List<?> list)) {
            throw new ParseException("roles is not an array", 0);
        }
        Set<String> keys = new LinkedHashSet<>();
        for (Object role : list) {
            if (role instanceof Map<?, ?> object && object.get("key") instanceof String key) {
                keys.add(key);
            } else if (role instanceof String key) {
                keys.add(key);
            } else {
                throw new ParseException("a role has no key", 0);
            }
        }
        return keys;
    }

    /** Kinde's {@code feature_flags}: {@code {"<key>": {"t": "b"|"i"|"s", "v": <value>}}}. */
    private static Map<String, KindeFeatureFlag> featureFlags(Map<String, Object> claim) throws ParseException {
        if (claim == null) {
            return Map.of();
        }
        Map<String, KindeFeatureFlag> flags = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : claim.entrySet()) {
            if (!(entry.getValue() instanceof Map<?, ?> flag) || !(flag.get("t") instanceof String type)
                    || flag.get("v") == null) {
                throw new ParseException("feature flag " + entry.getKey() + " is not {t, v}", 0);
            }
            flags.put(entry.getKey(), new KindeFeatureFlag(type, flagValue(flag.get("v"))));
        }
        return flags;
    }

    private static Object flagValue(Object value) {
        if (value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return d == Math.rint(d) && !Double.isInfinite(d) ? (Object) number.longValue() : (Object) d;
        }
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, ?> object = (Map<String, ?>) map;
            return JSONObjectUtils.toJSONString(object);
        }
        return String.valueOf(value);
    }

    /**
     * The granted scopes: Kinde's {@code scope} string when present (on M2M tokens it holds what was granted,
     * while {@code scp} holds what was requested and is {@code []} when the request named none), else {@code scp}.
     */
    private static Set<String> scopes(JWTClaimsSet claims) throws ParseException {
        String granted = claims.getStringClaim("scope");
        if (granted != null && !granted.isBlank()) {
            Set<String> scopes = new LinkedHashSet<>(List.of(granted.trim().split("\\s+")));
            scopes.remove("");
            return scopes;
        }
        return strings(claims, "scp");
    }
}
