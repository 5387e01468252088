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

    private static FakeKinde instance;

    private TestKinde() {
    }

    public static synchronized FakeKinde get() {
        if (instance == null) {
            instance = FakeKinde.start(TestDeployments.fakeKindePort(), new FakeApp(CLIENT_ID, CLIENT_SECRET,
                    Set.of(TestDeployments.issuer() + "/kinde/callback")));
            Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
        }
        return instance;
    }

    /** The fake with no faults, no recorded requests and automatic login of {@code userId} into {@code org}. */
    public static FakeKinde reset(String userId, String org) {
        FakeKinde kinde = get();
        kinde.clearFaults();
        kinde.clearRequests();
        kinde.autoLogin(userId, org);
        return kinde;
    }
}
