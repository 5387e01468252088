package dev.kindemcp.bridge.mcp;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.McpClientDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.io.IOException;
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
        assertSteps(run("user"),
                "challenged with 401 and resource_metadata",
                "registered with dynamic client registration",
                "consented to the default scope",
                "listed the sample tools",
                "whoami as a user of org_acme, with its Kinde feature flags",
                "the tool API was called with the Kinde token, not the bridge token",
                "read the notes",
                "403 insufficient_scope challenge naming mcp:write",
                "stepped up to mcp:write with consent",
                "wrote a note after the step-up",
                "the new note is listed",
                "a bad argument is a tool error",
                "refreshed the tokens",
                "refresh rotated the access and refresh tokens",
                "called a tool with the refreshed access token",
                "revoked the refresh token",
                "the revoked refresh token is rejected");
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
        assertSteps(run("machine"),
                "the agent got a Kinde M2M token",
                "the agent read the tool API directly with its Kinde token",
                "a user-only route refuses the system actor",
                "the agent got a bridge token with its Kinde M2M credentials (client_credentials)",
                "the agent sees the tools a machine may use",
                "whoami as a system actor (add_note is hidden although it has write:notes: users only)",
                "the agent read the notes through MCP");
    }
}
