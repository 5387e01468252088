package dev.kindemcp.bridge.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The official TypeScript MCP SDK client (1.32.2, installed from npm by the build) against a real Liberty:
 * discovery, registration, consent, login through the Kinde-compatible provider, tool calls, a scope step-up,
 * a missing Kinde permission, refresh, revocation, and a machine agent with Kinde M2M credentials. The scenarios
 * are in src/test/e2e/mcp-client-e2e.mjs; without Node.js they are skipped with a message (CI requires Node).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class McpClientEndToEndIT {

    static final Path E2E = Path.of("target", "e2e");
    static final String SKIPPED = "SKIPPED: the MCP client end-to-end tests need Node.js 20+ and npm on the PATH "
            + "(the build installs @modelcontextprotocol/sdk into target/e2e when they are there)";

    @Deployment
    static WebArchive deployment() {
        return TestDeployments.bridge(TestDeployments.unthrottledConfig());
    }

    @BeforeAll
    static void nodeAndSdk() {
        boolean ready = Files.isDirectory(E2E.resolve("node_modules/@modelcontextprotocol/sdk"));
        if (!ready) {
            System.out.println(SKIPPED);
        }
        Assumptions.assumeTrue(ready, SKIPPED);
    }

    /** Runs one scenario of the driver and returns its result line. */
    static Map<String, Object> run(String mode) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", "mcp-client-e2e.mjs", mode).directory(E2E.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("MCP_URL", TestDeployments.issuer() + "/mcp");
        env.put("BRIDGE_ISSUER", TestDeployments.issuer());
        env.put("KINDE_ISSUER", TestKinde.get().issuer());
        env.put("KINDE_AUDIENCE", "https://api.example.test");
        env.put("AGENT_ID", TestKinde.AGENT_ID);
        env.put("AGENT_SECRET", TestKinde.AGENT_SECRET);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        String text = new String(output, StandardCharsets.UTF_8);
        System.out.println("--- mcp-client-e2e.mjs " + mode + " ---\n" + text);
        assertTrue(ended, "the " + mode + " scenario did not end within 180 s");
        assertEquals(0, process.exitValue(), "the " + mode + " scenario failed:\n" + text);
        String line = text.lines().filter(l -> l.startsWith("E2E-RESULT ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no E2E-RESULT line:\n" + text));
        try {
            return com.nimbusds.jose.util.JSONObjectUtils.parse(line.substring("E2E-RESULT ".length()));
        } catch (java.text.ParseException e) {
            throw new AssertionError("E2E-RESULT is not JSON: " + line, e);
        }
    }

    static void assertSteps(Map<String, Object> result, String... expected) {
        List<?> steps = (List<?>) result.get("steps");
        assertEquals(List.of(expected), steps);
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
