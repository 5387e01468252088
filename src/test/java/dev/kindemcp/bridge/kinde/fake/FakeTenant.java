package dev.kindemcp.bridge.kinde.fake;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of the Kinde business FakeKinde plays, which change the shape of its tokens. {@link #kindeDefaults()}
 * is what a new Kinde business sends; each {@code with…} switches one setting, as an operator would in Kinde.
 *
 * <p>Related specifications:
 * @see <a href="https://docs.kinde.com/build/tokens/token-customization/">Kinde: Token customization (roles opt-in, Hasura mapping)</a>
 * @see <a href="https://docs.kinde.com/build/tokens/configure-tokens/">Kinde: Configure tokens (default lifetimes)</a>
 * @see <a href="https://docs.kinde.com/build/tokens/refresh-tokens/">Kinde: Refresh tokens (rotation with a short overlap)</a>
 * @see <a href="https://docs.kinde.com/developer-tools/your-apis/register-manage-apis/">Kinde: APIs are enabled per application</a>
 *
 * @param rolesInAccessToken    Access token → Customize → Roles (off by default)
 * @param orgCodesInIdToken     ID token → Customize → organisation codes (off by default)
 * @param hasuraMapping         Token integrations → Hasura: x-hasura-… claim names (off by default)
 * @param unauthorizedAudiences APIs not enabled for the requesting application: left out of {@code aud}
 * @param m2mTokenLifetime      lifetime of M2M access tokens (1 h, per Kinde's M2M page)
 * @param refreshTokenLifetime  lifetime of refresh tokens (15 days)
 * @param refreshOverlap        how long a rotated-out refresh token still works (not documented by Kinde)
 */
public record FakeTenant(boolean rolesInAccessToken, boolean orgCodesInIdToken, boolean hasuraMapping,
        Set<String> unauthorizedAudiences, Duration m2mTokenLifetime, Duration refreshTokenLifetime,
        Duration refreshOverlap) {

    public FakeTenant {
        unauthorizedAudiences = Set.copyOf(unauthorizedAudiences);
        Objects.requireNonNull(m2mTokenLifetime, "m2mTokenLifetime must not be null");
        Objects.requireNonNull(refreshTokenLifetime, "refreshTokenLifetime must not be null");
        Objects.requireNonNull(refreshOverlap, "refreshOverlap must not be null");
    }

    /** What a new Kinde business sends. */
    public static FakeTenant kindeDefaults() {
        return new FakeTenant(false, false, false, Set.of(), Duration.ofHours(1), Duration.ofDays(15),
                Duration.ofSeconds(30));
    }

    public FakeTenant withRoles() {
        return new FakeTenant(true, orgCodesInIdToken, hasuraMapping, unauthorizedAudiences, m2mTokenLifetime,
                refreshTokenLifetime, refreshOverlap);
    }

    public FakeTenant withOrgCodesInIdToken() {
        return new FakeTenant(rolesInAccessToken, true, hasuraMapping, unauthorizedAudiences, m2mTokenLifetime,
                refreshTokenLifetime, refreshOverlap);
    }

    public FakeTenant withHasuraMapping() {
        return new FakeTenant(rolesInAccessToken, orgCodesInIdToken, true, unauthorizedAudiences, m2mTokenLifetime,
                refreshTokenLifetime, refreshOverlap);
    }

    /** The API {@code audience} is not enabled for the bridge's application: Kinde leaves it out of {@code aud}. */
    public FakeTenant withUnauthorizedAudience(String audience) {
        Set<String> unauthorized = new HashSet<>(unauthorizedAudiences);
        unauthorized.add(audience);
        return new FakeTenant(rolesInAccessToken, orgCodesInIdToken, hasuraMapping, unauthorized, m2mTokenLifetime,
                refreshTokenLifetime, refreshOverlap);
    }

    /** Kinde M2M access tokens of this lifetime. */
    public FakeTenant withM2mTokenLifetime(Duration lifetime) {
        return new FakeTenant(rolesInAccessToken, orgCodesInIdToken, hasuraMapping, unauthorizedAudiences, lifetime,
                refreshTokenLifetime, refreshOverlap);
    }

    /** How long a rotated-out refresh token still works ({@code Duration.ZERO}: not at all). */
    public FakeTenant withRefreshOverlap(Duration overlap) {
        return new FakeTenant(rolesInAccessToken, orgCodesInIdToken, hasuraMapping, unauthorizedAudiences,
                m2mTokenLifetime, refreshTokenLifetime, overlap);
    }

    /** The claim name Kinde writes for {@code claim} under this business's settings. */
    String claimName(String claim) {
        if (!hasuraMapping) {
            return claim;
        }
        return switch (claim) {
            case "org_code", "permissions", "roles", "feature_flags", "org_codes" ->
                    "x-hasura-" + claim.replace('_', '-');
            default -> claim;
        };
    }
}
