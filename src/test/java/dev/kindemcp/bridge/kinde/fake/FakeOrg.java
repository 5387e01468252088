package dev.kindemcp.bridge.kinde.fake;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Kinde organisation: its code ({@code org_...}), display name and the feature flags its members see.
 * Flag values are {@link Boolean}, {@link Integer}/{@link Long} or {@link String}, encoded as Kinde's
 * {@code {"t": "b"|"i"|"s", "v": ...}} objects in access tokens.
 *
 * <p>Related specifications:
 * @see <a href="https://docs.kinde.com/build/tokens/about-access-tokens/">Kinde: Access tokens (org_code, feature_flags)</a>
 */
public record FakeOrg(String code, String name, Map<String, Object> featureFlags) {

    public FakeOrg {
        Objects.requireNonNull(code, "code must not be null");
        Objects.requireNonNull(name, "name must not be null");
        featureFlags = Map.copyOf(featureFlags);
        featureFlags.forEach((key, value) -> {
            if (!(value instanceof Boolean || value instanceof Integer || value instanceof Long
                    || value instanceof String)) {
                throw new IllegalArgumentException("feature flag " + key + " must be a boolean, integer or string");
            }
        });
    }

    /** The {@code feature_flags} claim value: each flag as {@code {"t": type, "v": value}}, in key order. */
    Map<String, Object> featureFlagsClaim() {
        Map<String, Object> claim = new LinkedHashMap<>();
        featureFlags.keySet().stream().sorted().forEach(key -> {
            Object value = featureFlags.get(key);
            String type = value instanceof Boolean ? "b" : value instanceof String ? "s" : "i";
            Map<String, Object> flag = new LinkedHashMap<>();
            flag.put("t", type);
            flag.put("v", value);
            claim.put(key, flag);
        });
        return claim;
    }
}
