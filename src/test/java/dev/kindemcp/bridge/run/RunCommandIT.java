package dev.kindemcp.bridge.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kindemcp.bridge.testsupport.Http;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, {@code mvn -Prun}, started as a user would on the built project: it serves the
 * metadata within a minute, lets environment variables override the packaged defaults, and starts the local
 * Kinde-compatible identity provider whose login page is reachable.
 */
class RunCommandIT {

    static final String BRIDGE = "http://localhost:9080";
    static final String DEV_KINDE = "http://127.0.0.1:9091";
    static final Duration BUDGET = Duration.ofSeconds(60);
    static final Path LOG = Path.of("target", "run-command.log");

    static Process run;
    static Duration startup;

    @BeforeAll
    static void startRunCommand() throws Exception {
        for (int port : new int[] {9080, 9091}) {
            if (listening(port)) {
                fail("port " + port + " is busy: stop the running bridge (mvn -Prun) before running the tests");
            }
        }
        ProcessBuilder builder = new ProcessBuilder(mavenCommand(), "-B", "-ntp", "-Prun")
                .redirectErrorStream(true).redirectOutput(LOG.toFile());
        Map<String, String> env = builder.environment();
        env.remove("KINDE_DOMAIN");
        env.remove("BRIDGE_ISSUER");
        env.put("BRIDGE_SCOPES", "mcp:read mcp:write notes:admin");
        long started = System.nanoTime();
        run = builder.start();
        while (true) {
            if (!run.isAlive()) {
                fail("the run command exited with " + run.exitValue() + ":\n" + Files.readString(LOG));
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (elapsed.compareTo(BUDGET.multipliedBy(3)) > 0) {
                fail("no metadata after " + elapsed.toSeconds() + " s:\n" + Files.readString(LOG));
            }
            if (listening(9080)) {
                try {
                    if (Http.get(BRIDGE + "/.well-known/oauth-authorization-server").statusCode() == 200) {
                        startup = elapsed;
                        break;
                    }
                } catch (UncheckedIOException e) {
                    // still starting
                }
            }
            Thread.sleep(250);
        }
        System.out.println("=== run command: metadata served " + startup.toMillis() + " ms after mvn -Prun started");
    }

    @AfterAll
    static void stopRunCommand() throws Exception {
        if (run == null) {
            return;
        }
        List<ProcessHandle> children = run.descendants().toList();
        run.destroy();
        children.forEach(ProcessHandle::destroy);
        if (!run.waitFor(60, TimeUnit.SECONDS)) {
            run.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            child.onExit().get(60, TimeUnit.SECONDS);
        }
    }

    private static String mavenCommand() {
        String home = System.getProperty("maven.home");
        if (home != null && new File(home, "bin/mvn").canExecute()) {
            return new File(home, "bin/mvn").getPath();
        }
        return "mvn";
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void runWhenStartedThenMetadataServedWithinAMinute() {
        assertTrue(startup.compareTo(BUDGET) <= 0, "metadata after " + startup.toSeconds() + " s");
        Map<String, Object> md = Http.json(Http.get(BRIDGE + "/.well-known/oauth-authorization-server"));
        assertEquals(BRIDGE, md.get("issuer"));
        Map<String, Object> prm = Http.json(Http.get(BRIDGE + "/.well-known/oauth-protected-resource/mcp"));
        assertEquals(BRIDGE + "/mcp", prm.get("resource"));
        assertEquals(List.of(BRIDGE), prm.get("authorization_servers"));
        assertEquals(200, Http.get(BRIDGE + "/.well-known/jwks.json").statusCode());
    }

    @Test
    void runWhenEnvironmentVariableSetThenItOverridesThePackagedDefault() {
        Map<String, Object> md = Http.json(Http.get(BRIDGE + "/.well-known/oauth-authorization-server"));
        assertEquals(List.of("mcp:read", "mcp:write", "notes:admin"), md.get("scopes_supported"));
    }

    @Test
    void runWhenKindeDomainUnsetThenLocalProviderStartedLoudlyAndLoginPageReachable() throws Exception {
        String log = Files.readString(LOG);
        assertTrue(log.toLowerCase(java.util.Locale.ROOT).contains("development identity provider"), "loud banner of the local provider:\n" + log);
        Map<String, Object> discovery = Http.json(Http.get(DEV_KINDE + "/.well-known/openid-configuration"));
        assertEquals(DEV_KINDE, discovery.get("issuer"));
        String authorize = DEV_KINDE + "/oauth2/auth?response_type=code&client_id=dev-bridge"
                + "&redirect_uri=" + URLEncoder.encode(BRIDGE + "/kinde/callback", StandardCharsets.UTF_8)
                + "&scope=openid%20profile%20email%20offline&state=s1&nonce=n1"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        HttpResponse<String> page = Http.get(authorize);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<form"), page.body());
        assertTrue(page.body().contains("org_"), "the login form lists demo organisations");
    }

    /** The sample tool API answers a Kinde M2M token of the local provider's demo agent, and only such tokens. */
    @Test
    void runWhenDemoAgentTokenThenSampleToolApiServesNotes() {
        HttpResponse<String> token = Http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(DEV_KINDE + "/oauth2/token")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "grant_type=client_credentials&client_id=demo-m2m-agent&client_secret=demo-m2m-agent-secret"
                        + "&audience=" + URLEncoder.encode("https://notes.api.example", StandardCharsets.UTF_8))),
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(200, token.statusCode(), token.body());
        String kindeToken = (String) Http.json(token).get("access_token");
        HttpResponse<String> notes = Http.get(BRIDGE + "/api/notes", "Authorization", "Bearer " + kindeToken);
        assertEquals(200, notes.statusCode(), notes.body());
        assertEquals("org_acme", Http.json(notes).get("org_code"));
        assertEquals(401, Http.get(BRIDGE + "/api/notes").statusCode());
    }
}
