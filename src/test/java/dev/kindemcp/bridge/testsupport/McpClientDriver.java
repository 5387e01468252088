package dev.kindemcp.bridge.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a scenario of src/test/e2e/mcp-client-e2e.mjs (the official TypeScript MCP SDK client 1.32.2) or of
 * mcp-client-v2-e2e.mjs (the client 2.4.0, which negotiates the protocol era), both installed into target/e2e
 * by the build, against the test server; without Node.js the calling test is skipped with a message
 * (CI requires Node).
 */
public final class McpClientDriver {

    static final Path E2E = Path.of("target", "e2e");
    static final String SKIPPED = "SKIPPED: the MCP client end-to-end tests need Node.js 20+ and npm on the PATH "
            + "(the build installs @modelcontextprotocol/sdk into target/e2e when they are there)";

    /** What the {@code user} scenario passes, in order. */
    public static final List<String> USER_STEPS = List.of(
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

    /** What the {@code machine} scenario passes, in order. */
    public static final List<String> MACHINE_STEPS = List.of(
            "the agent got a Kinde M2M token",
            "the agent read the tool API directly with its Kinde token",
            "a user-only route refuses the system actor",
            "the agent got a bridge token with its Kinde M2M credentials (client_credentials)",
            "the agent sees the tools a machine may use",
            "whoami as a system actor (add_note is hidden although it has write:notes: users only)",
            "the agent read the notes through MCP");

    /** What the 2.x client's {@code modern-user} scenario passes (src/test/e2e/mcp-client-v2-e2e.mjs). */
    public static final List<String> MODERN_USER_STEPS = List.of(
            "probed with server/discover",
            "no initialize handshake",
            "negotiated 2026-07-28",
            "listed the sample tools",
            "whoami as a user of org_acme, the tool API called with the Kinde token",
            "read the notes",
            "a bad argument is a tool error",
            "a tool needing mcp:write is refused with 403 insufficient_scope",
            "no MCP session");

    /** What the 2.x client's {@code modern-machine} scenario passes. */
    public static final List<String> MODERN_MACHINE_STEPS = List.of(
            "the agent got a bridge token with its Kinde M2M credentials",
            "probed with server/discover",
            "no initialize handshake",
            "negotiated 2026-07-28",
            "the agent sees the tools a machine may use",
            "whoami as a system actor");

    private McpClientDriver() {
    }

    /** Runs one scenario of the 2.x client's script (mcp-client-v2-e2e.mjs); see {@link #run(String, Map)}. */
    public static Map<String, Object> runV2(String mode, Map<String, String> extra)
            throws IOException, InterruptedException {
        return run("mcp-client-v2-e2e.mjs", mode, extra);
    }

    /** Skips the calling test (with the message) when the SDK is not installed. */
    public static void assumeInstalled() {
        boolean ready = Files.isDirectory(E2E.resolve("node_modules/@modelcontextprotocol/sdk"))
                && Files.isDirectory(E2E.resolve("node_modules/@modelcontextprotocol/client"));
        if (!ready) {
            System.out.println(SKIPPED);
        }
        Assumptions.assumeTrue(ready, SKIPPED);
    }

    /** Runs one scenario with the usual environment plus {@code extra}, and returns its result line. */
    public static Map<String, Object> run(String mode, Map<String, String> extra)
            throws IOException, InterruptedException {
        return run("mcp-client-e2e.mjs", mode, extra);
    }

    private static Map<String, Object> run(String script, String mode, Map<String, String> extra)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", script, mode).directory(E2E.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("MCP_URL", TestDeployments.issuer() + "/mcp");
        env.put("BRIDGE_ISSUER", TestDeployments.issuer());
        env.put("KINDE_ISSUER", TestKinde.get().issuer());
        env.put("KINDE_AUDIENCE", "https://api.example.test");
        env.put("AGENT_ID", TestKinde.AGENT_ID);
        env.put("AGENT_SECRET", TestKinde.AGENT_SECRET);
        env.putAll(extra);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        String text = new String(output, StandardCharsets.UTF_8);
        System.out.println("--- " + script + " " + mode + " ---\n" + text);
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

    /** The scenario passed exactly these steps, in this order. */
    public static void assertSteps(Map<String, Object> result, List<String> expected) {
        assertSteps(result, expected.toArray(String[]::new));
    }

    public static void assertSteps(Map<String, Object> result, String... expected) {
        List<?> steps = (List<?>) result.get("steps");
        assertEquals(List.of(expected), steps);
    }
}
