package dev.kindemcp.bridge.kinde.fake;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The demo business FakeKinde starts with: two organisations, three users with different permissions, the
 * bridge's back-end application and one org-scoped M2M application.
 *
 * <p>Related specifications:
 * @see <a href="https://docs.kinde.com/build/tokens/about-access-tokens/">Kinde: Access tokens (permissions, roles, feature flags)</a>
 */
public final class KindeDemoData {

    public static final String ORG_ACME = "org_acme";
    public static final String ORG_GLOBEX = "org_globex";

    public static final String ALICE_ID = "kp_a11ce0000000000000000000000a11ce";
    public static final String BOB_ID = "kp_b0b00000000000000000000000000b0b";
    public static final String CAROL_ID = "kp_ca201000000000000000000000000ca2";
    public static final String DAVE_ID = "kp_da7e0000000000000000000000000da7";

    public static final String READ_NOTES = "read:notes";
    public static final String WRITE_NOTES = "write:notes";

    /** The Kinde API audience the demo tool APIs accept. */
    public static final String API_AUDIENCE = "https://notes.api.example";

    public static final String BRIDGE_CLIENT_ID = "bridge-test-client";
    public static final String BRIDGE_CLIENT_SECRET = "bridge-test-secret";
    public static final Set<String> BRIDGE_CALLBACKS = Set.of("http://localhost:9080/kinde/callback",
            "http://127.0.0.1:9080/kinde/callback");

    public static final String M2M_CLIENT_ID = "demo-m2m-agent";
    public static final String M2M_CLIENT_SECRET = "demo-m2m-agent-secret";

    private static final FakeRole ADMIN = new FakeRole("rol_0001", "admin", "Admin");
    private static final FakeRole MEMBER = new FakeRole("rol_0002", "member", "Member");
    private static final FakeRole VIEWER = new FakeRole("rol_0003", "viewer", "Viewer");

    private KindeDemoData() {
    }

    public static List<FakeOrg> orgs() {
        return List.of(
                new FakeOrg(ORG_ACME, "Acme Corporation", Map.of("notes_v2", true, "theme", "teal", "max_notes", 100)),
                new FakeOrg(ORG_GLOBEX, "Globex", Map.of("notes_v2", false)));
    }

    /** Alice: admin of Acme (read and write), member of Globex (read only). */
    public static FakeUser alice() {
        return new FakeUser(ALICE_ID, "alice@example.com", "Alice", "Anderson", List.of(
                new FakeUser.Membership(ORG_ACME, List.of(READ_NOTES, WRITE_NOTES), List.of(ADMIN)),
                new FakeUser.Membership(ORG_GLOBEX, List.of(READ_NOTES), List.of(MEMBER))));
    }

    /** Bob: member of Acme, read only. */
    public static FakeUser bob() {
        return new FakeUser(BOB_ID, "bob@example.com", "Bob", "Brown", List.of(
                new FakeUser.Membership(ORG_ACME, List.of(READ_NOTES), List.of(MEMBER))));
    }

    /** Carol: viewer in Globex without any permission. */
    public static FakeUser carol() {
        return new FakeUser(CAROL_ID, "carol@example.com", "Carol", "Clark", List.of(
                new FakeUser.Membership(ORG_GLOBEX, List.of(), List.of(VIEWER))));
    }

    /**
     * Dave: a member of no organisation, as Kinde signs users up when "sign users up to the default organization"
     * is off; his tokens have no org_code.
     */
    public static FakeUser dave() {
        return new FakeUser(DAVE_ID, "dave@example.com", "Dave", "Davis", List.of());
    }

    public static List<FakeUser> users() {
        return List.of(alice(), bob(), carol(), dave());
    }

    /** The bridge's back-end application with the given credentials and callbacks. */
    public static FakeApp bridgeApp(String clientId, String clientSecret, Set<String> callbacks) {
        return new FakeApp(clientId, clientSecret, callbacks);
    }

    /** The bridge's back-end application with the test defaults. */
    public static FakeApp bridgeApp() {
        return bridgeApp(BRIDGE_CLIENT_ID, BRIDGE_CLIENT_SECRET, BRIDGE_CALLBACKS);
    }

    /** An agent scoped to Acme, authorised for the demo API with {@code read:notes}. */
    public static FakeM2mApp m2mApp() {
        return new FakeM2mApp(M2M_CLIENT_ID, M2M_CLIENT_SECRET, Optional.of(ORG_ACME), Set.of(API_AUDIENCE),
                Set.of(READ_NOTES));
    }
}
