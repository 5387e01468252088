package dev.kindemcp.bridge.testsupport;

import dev.kindemcp.bridge.kinde.fake.FakeApp;
import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import java.util.Set;

/**
 * The one FakeKinde of an integration-test JVM, on the port the build reserved and the test deployments name
 * as {@code kinde.domain}; started on first use, reset by each test.
 */
public final class TestKinde {

    public static final String CLIENT_ID = "bridge-test-client";
    public static final String CLIENT_SECRET = "bridge-test-secret";
    /**
     * An agent's Kinde M2M application, scoped to Acme, for the test deployments' API audience, with the API
     * scopes read:notes and write:notes (so that only @UsersOnly keeps it from writing notes).
     */
    public static final String AGENT_ID = "agent-m2m-test";
    public static final String AGENT_SECRET = "agent-m2m-secret-0123456789";
    /** An agent of another organisation (Globex). */
    public static final String GLOBEX_AGENT_ID = "agent-m2m-globex";

    private static FakeKinde instance;

    private TestKinde() {
    }

    public static synchronized FakeKinde get() {
        if (instance == null) {
            instance = FakeKinde.start(TestDeployments.fakeKindePort(), new FakeApp(CLIENT_ID, CLIENT_SECRET,
                    Set.of(TestDeployments.issuer() + "/kinde/callback",
                            TestDeployments.loadBalancer() + "/kinde/callback")));
            instance.registerM2mApp(new dev.kindemcp.bridge.kinde.fake.FakeM2mApp(AGENT_ID, AGENT_SECRET,
                    java.util.Optional.of(dev.kindemcp.bridge.kinde.fake.KindeDemoData.ORG_ACME),
                    Set.of("https://api.example.test"), Set.of("read:notes", "write:notes")));
            instance.registerM2mApp(new dev.kindemcp.bridge.kinde.fake.FakeM2mApp(GLOBEX_AGENT_ID, AGENT_SECRET,
                    java.util.Optional.of(dev.kindemcp.bridge.kinde.fake.KindeDemoData.ORG_GLOBEX),
                    Set.of("https://api.example.test"), Set.of("read:notes")));
            Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
        }
        return instance;
    }

    /** The fake with no faults, no recorded requests and automatic login of {@code userId} into {@code org}. */
    public static FakeKinde reset(String userId, String org) {
        FakeKinde kinde = get();
        kinde.clearFaults();
        kinde.clearRequests();
        kinde.setTenant(dev.kindemcp.bridge.kinde.fake.FakeTenant.kindeDefaults());
        kinde.autoLogin(userId, org);
        return kinde;
    }
}
