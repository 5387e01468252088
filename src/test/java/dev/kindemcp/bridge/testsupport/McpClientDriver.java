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
 * Runs a scenario of src/test/e2e/mcp-client-e2e.mjs, the official TypeScript MCP SDK client (installed into
 * target/e2e by the build), against the test server; without Node.js the calling test is skipped with a message
 * (CI requires Node).
 */
public final class McpClientDriver {

    static final Path E2E = Path.of("target", "e2e");
    static final String SKIPPED = "SKIPPED: the MCP client end-to-end tests need Node.js 20+ and npm on the PATH "
            + "(the build installs @modelcontextprotocol/sdk into target/e2e when they are there)";

    private McpClientDriver() {
    }

    /** Skips the calling test (with the message) when the SDK is not installed. */
    public static void assumeInstalled() {
        boolean ready = Files.isDirectory(E2E.resolve("node_modules/@modelcontextprotocol/sdk"));
        if (!ready) {
            System.out.println(SKIPPED);
        }
        Assumptions.assumeTrue(ready, SKIPPED);
    }

    /** Runs one scenario with the usual environment plus {@code extra}, and returns its result line. */
    public static Map<String, Object> run(String mode, Map<String, String> extra)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", "mcp-client-e2e.mjs", mode).directory(E2E.toFile())
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

    /** The scenario passed exactly these steps, in this order. */
    public static void assertSteps(Map<String, Object> result, String... expected) {
        List<?> steps = (List<?>) result.get("steps");
        assertEquals(List.of(expected), steps);
    }
}
