package dev.kindemcp.bridge.kinde;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of Kinde's {@code feature_flags} claim: the short type code ({@code b} boolean, {@code i} integer,
 * {@code s} string, anything else kept as is) and the value as a {@link Boolean}, {@link Long}, {@link Double}
 * or {@link String} (other JSON values as their JSON text).
 *
 * <p>Related specifications:
 * @see <a href="https://docs.kinde.com/build/tokens/about-access-tokens/">Kinde: Access tokens (feature_flags)</a>
 */
public record KindeFeatureFlag(String type, Object value) {

    public KindeFeatureFlag {
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(value, "value must not be null");
        if (!(value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof String)) {
            throw new IllegalArgumentException("value must be a Boolean, Long, Double or String");
        }
    }

    public Optional<Boolean> booleanValue() {
        return value instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    public Optional<Long> longValue() {
        return value instanceof Long l ? Optional.of(l) : Optional.empty();
    }

    public Optional<String> stringValue() {
        return value instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
