package dev.kindemcp.bridge.kinde.fake;

import java.util.Objects;

/**
 * A Kinde role as it appears in the {@code roles} claim of a Kinde access token: an object with id, key and name.
 *
 * <p>Related specifications:
 * @see <a href="https://docs.kinde.com/build/tokens/about-access-tokens/">Kinde: Access tokens (roles claim)</a>
 */
public record FakeRole(String id, String key, String name) {

    public FakeRole {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(name, "name must not be null");
    }
}
