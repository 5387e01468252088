package dev.kindemcp.bridge.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.FakeApp;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LibertyServer;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.LoginDriver.Client;
import dev.kindemcp.bridge.testsupport.McpCalls;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metrics and traces (issue 15.2) on a Liberty server of this test's own, switched on as the telemetry page
 * says ({@code OTEL_SDK_DISABLED=false} in server.env) with the console exporters, which write into
 * messages.log: every metric of the page moves when its event happens, with the attributes the page lists, and
 * a tool call's span and the nested tool-API request's server span share one trace.
 */
class TelemetryIT {

    static final int PORT = 9185;
    static final String ORIGIN = "http://localhost:" + PORT;
    static LibertyServer server;

    @BeforeAll
    static void startWithTelemetryOn() throws Exception {
        TestKinde.get().registerApp(new FakeApp(TestKinde.CLIENT_ID, TestKinde.CLIENT_SECRET, Set.of(
                TestDeployments.issuer() + "/kinde/callback", ORIGIN + "/kinde/callback")));
        server = LibertyServer.create("node-telemetry", "http.port=" + PORT + "\nhttps.port=9548\n"
                + "bridge.http.host=localhost\nbridge.management.port=9188\n");
        Files.writeString(server.resolve("server.env"), "\nOTEL_SDK_DISABLED=false\nOTEL_SERVICE_NAME=kinde-mcp-bridge\n"
                + "OTEL_METRICS_EXPORTER=console\nOTEL_TRACES_EXPORTER=console\nOTEL_LOGS_EXPORTER=none\n"
                + "OTEL_METRIC_EXPORT_INTERVAL=1000\n", StandardOpenOption.APPEND);
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.issuer", ORIGIN);
        config.put("mp.jwt.verify.publickey.location", ORIGIN + "/kinde/jwks");
        config.put("bridge.refresh-token.reuse-grace", "PT1S");
        TestDeployments.bridge(config).as(ZipExporter.class)
                .exportTo(server.resolve("dropins/kinde-mcp-bridge.war").toFile(), true);
        server.start();
        server.awaitOk(ORIGIN + "/.well-known/oauth-authorization-server");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /**
     * The latest exported value of {@code metric} for the data point whose attributes contain every one of
     * {@code attributes} ({@code name="value"} pairs as the console exporter prints them): the sum of a
     * counter, the count of a histogram; 0 when not exported yet.
     */
    static long latest(String log, String metric, String... attributes) {
        long value = 0;
        for (String line : log.split("\n")) {
            if (!line.contains("name=" + metric + ",")) {
                continue;
            }
            Matcher point = Pattern.compile("(?:getA|a)ttributes=\\{([^}]*)\\}[^{}]*?(?:getCount|value)=(\\d+)").matcher(line);
            while (point.find()) {
                String found = point.group(1);
                if (List.of(attributes).stream().allMatch(found::contains)) {
                    value = Long.parseLong(point.group(2)); // cumulative: a later line holds the newer value
                }
            }
        }
        return value;
    }

    @Test
    void metricsAndTracesWhenTheirEventsHappenThenExported() throws Exception {
        try (AutoCloseable atThisServer = LoginDriver.at(ORIGIN)) {
            TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
            Client client = LoginDriver.register("none");
            HttpResponse<String> refusedRegistration = Http.send(HttpRequest.newBuilder(URI.create(ORIGIN + "/register"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"redirect_uris\":[\"javascript:alert(1)\"]}")),
                    "Content-Type", "application/json");
            assertEquals(400, refusedRegistration.statusCode());
            Map<String, Object> tokens = Http.json(LoginDriver.token(LoginDriver.codeExchange(client,
                    LoginDriver.code(client, "mcp:read"))));
            String access = (String) tokens.get("access_token");
            String first = (String) tokens.get("refresh_token");
            HttpResponse<String> rotated = LoginDriver.token(LoginDriver.refreshForm(client, first));
            assertEquals(200, rotated.statusCode(), rotated.body());
            String second = (String) Http.json(rotated).get("refresh_token");
            McpCalls.call(ORIGIN, access, "list_notes");
            McpCalls.whoami(ORIGIN, access);
            assertEquals(401, McpCalls.post(ORIGIN, null, null, "{}").statusCode());
            assertEquals(401, Http.get(ORIGIN + "/api/notes").statusCode());
            Thread.sleep(1500); // past the reuse grace of 1 s: the rotated token again is reuse
            HttpResponse<String> reused = LoginDriver.token(LoginDriver.refreshForm(client, first));
            assertEquals(400, reused.statusCode(), reused.body());
            Map<String, String> revoke = new LinkedHashMap<>();
            revoke.put("token", second);
            revoke.put("client_id", client.clientId());
            assertEquals(200, LoginDriver.post("/revoke", revoke).statusCode());
        }

        Map<String, String[]> expected = new LinkedHashMap<>();
        expected.put("bridge.registrations dcr", new String[] {"bridge.registrations", "kind=\"dcr\"",
                "outcome=\"success\""});
        expected.put("bridge.registrations refused", new String[] {"bridge.registrations",
                "outcome=\"invalid_redirect_uri\""});
        expected.put("bridge.consents shown", new String[] {"bridge.consents", "outcome=\"shown\""});
        expected.put("bridge.consents approved", new String[] {"bridge.consents", "outcome=\"approved\""});
        expected.put("bridge.logins", new String[] {"bridge.logins", "outcome=\"success\""});
        expected.put("bridge.tokens code", new String[] {"bridge.tokens", "grant_type=\"authorization_code\"",
                "outcome=\"issued\""});
        expected.put("bridge.tokens refresh", new String[] {"bridge.tokens", "grant_type=\"refresh_token\"",
                "outcome=\"issued\""});
        expected.put("bridge.tokens refused", new String[] {"bridge.tokens", "grant_type=\"refresh_token\"",
                "outcome=\"invalid_grant\""});
        expected.put("bridge.refresh.reuse_detected", new String[] {"bridge.refresh.reuse_detected"});
        expected.put("bridge.revocations", new String[] {"bridge.revocations"});
        expected.put("bridge.requests.refused mcp", new String[] {"bridge.requests.refused", "surface=\"mcp\"",
                "status=\"401\""});
        expected.put("bridge.requests.refused tool_api", new String[] {"bridge.requests.refused",
                "surface=\"tool_api\"", "status=\"401\""});
        expected.put("bridge.kinde.duration token", new String[] {"bridge.kinde.duration", "endpoint=\"token\"",
                "outcome=\"success\""});
        expected.put("bridge.kinde.duration keys", new String[] {"bridge.kinde.duration", "endpoint=\"keys\""});
        expected.put("bridge.tool.duration list_notes", new String[] {"bridge.tool.duration",
                "tool=\"list_notes\"", "outcome=\"success\""});
        expected.put("bridge.tool.duration whoami", new String[] {"bridge.tool.duration", "tool=\"whoami\""});
        List<String> missing = new ArrayList<>(expected.keySet());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String log = server.log();
        while (!missing.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            log = server.log();
            String current = log;
            missing.removeIf(name -> {
                String[] metric = expected.get(name);
                return latest(current, metric[0], java.util.Arrays.copyOfRange(metric, 1, metric.length)) >= 1;
            });
        }
        assertTrue(missing.isEmpty(), "not exported: " + missing + "\n" + metricLines(log));
        assertTrue(latest(log, "bridge.tokens", "grant_type=\"refresh_token\"", "outcome=\"issued\"") >= 1);
        org.junit.jupiter.api.Assertions.assertFalse(metricLines(log).contains(KindeDemoData.ALICE_ID),
                "no user id in any metric");

        Matcher toolSpan = Pattern.compile("'tools/call list_notes' : ([0-9a-f]{32}) ").matcher(log);
        assertTrue(toolSpan.find(), "the tool call's span:\n" + spanLines(log));
        String trace = toolSpan.group(1);
        assertTrue(Pattern.compile("'[A-Z]+ /api/notes[^']*' : " + trace + " [0-9a-f]{16} SERVER").matcher(log).find(),
                "the tool API's server span is in the tool call's trace " + trace + ":\n" + spanLines(log));
        assertTrue(Pattern.compile("'POST /mcp' : " + trace + " [0-9a-f]{16} SERVER").matcher(log).find(),
                "the MCP request's server span is in the same trace " + trace + ":\n" + spanLines(log));
    }

    static String metricLines(String log) {
        return String.join("\n", log.lines().filter(l -> l.contains("name=bridge.")).map(l -> l.length() > 600
                ? l.substring(l.indexOf("name=bridge."), Math.min(l.length(), l.indexOf("name=bridge.") + 600)) : l)
                .toList());
    }

    static String spanLines(String log) {
        return String.join("\n", log.lines().filter(l -> l.contains("' : ")).toList());
    }
}
