package dev.kindemcp.bridge.mcp;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.McpClientDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The official TypeScript MCP SDK client (1.32.2, installed from npm by the build) against a real Liberty:
 * discovery, registration, consent, login through the Kinde-compatible provider, tool calls, a scope step-up,
 * a missing Kinde permission, refresh, revocation, and a machine agent with Kinde M2M credentials. The scenarios
 * are in src/test/e2e/mcp-client-e2e.mjs ({@link McpClientDriver}); without Node.js they are skipped with a
 * message (CI requires Node).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class McpClientEndToEndIT {

    @Deployment
    static WebArchive deployment() {
        return TestDeployments.bridge(TestDeployments.unthrottledConfig());
    }

    @BeforeAll
    static void nodeAndSdk() {
        McpClientDriver.assumeInstalled();
    }

    static Map<String, Object> run(String mode) throws IOException, InterruptedException {
        return McpClientDriver.run(mode, Map.of());
    }

    static void assertSteps(Map<String, Object> result, List<String> expected) {
        McpClientDriver.assertSteps(result, expected.toArray(String[]::new));
    }

    static void assertSteps(Map<String, Object> result, String... expected) {
        McpClientDriver.assertSteps(result, expected);
    }

    /**
     * A user connects, registers, consents, logs in through Kinde, calls every sample tool (the notes tools
     * reach the tool API with the user's Kinde token, RS-23), steps up to mcp:write on a 403 insufficient_scope
     * (RS-20), refreshes, revokes, and the revoked refresh token is refused.
     */
    @Test
    void userWhenConnectingWithTheTypeScriptSdkThenFullFlowWithStepUpRefreshAndRevocation() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        assertSteps(run("user"), McpClientDriver.USER_STEPS);
    }

    /** Bob lacks write:notes: the tool is not listed, and calling it is a clear tool error, not a step-up loop. */
    @Test
    void userWhenKindePermissionMissingThenToolHiddenAndCallIsAToolError() throws Exception {
        TestKinde.reset(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        assertSteps(run("permission"),
                "a tool whose Kinde permission the user lacks is not listed",
                "a clear tool error names the missing permission",
                "the missing scope was a step-up, the missing permission was not");
    }

    /** An agent with Kinde M2M credentials: the tool API directly, then MCP through client_credentials (RS-25). */
    @Test
    void machineWhenKindeM2mCredentialsThenToolApiDirectlyAndThroughMcp() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        assertSteps(run("machine"), McpClientDriver.MACHINE_STEPS);
    }
}
