package dev.kindemcp.bridge.kinde.fake;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kinde user ({@code kp_...}) with a profile and one membership per organisation; permissions and roles are
 * per organisation, as in Kinde.
 *
 * <p>Related specifications:
 * @see <a href="https://docs.kinde.com/build/tokens/about-id-tokens/">Kinde: ID tokens (profile claims, org_codes)</a>
 */
public record FakeUser(String id, String email, String givenName, String familyName, List<Membership> memberships) {

    public FakeUser {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(email, "email must not be null");
        Objects.requireNonNull(givenName, "givenName must not be null");
        Objects.requireNonNull(familyName, "familyName must not be null");
        memberships = List.copyOf(memberships);
        if (!id.startsWith("kp_")) {
            throw new IllegalArgumentException("Kinde user ids start with kp_");
        }
    }

    /** First and last name separated by a space, as Kinde writes {@code name}. */
    public String name() {
        return givenName + " " + familyName;
    }

    /** The codes of every organisation the user belongs to ({@code org_codes} in the ID token). */
    public List<String> orgCodes() {
        return memberships.stream().map(Membership::orgCode).toList();
    }

    /** The user's membership of {@code orgCode}, if any. */
    public Optional<Membership> membership(String orgCode) {
        return memberships.stream().filter(m -> m.orgCode().equals(orgCode)).findFirst();
    }

    /** What the user may do inside one organisation. */
    public record Membership(String orgCode, List<String> permissions, List<FakeRole> roles) {

        public Membership {
            Objects.requireNonNull(orgCode, "orgCode must not be null");
            permissions = List.copyOf(permissions);
            roles = List.copyOf(roles);
        }
    }
}
