package dev.kindemcp.bridge.bench;

import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.AdminApi;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LibertyServer;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.LoginDriver.Client;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

/**
 * The benchmark command ({@code mvn -Pbench}, src/site/markdown/benchmarks.md): builds a benchmark WAR from the
 * packaged one plus the trivial {@link EchoTool}, runs it on a Liberty server of its own ({@code -Xmx256m},
 * embedded H2, or PostgreSQL with {@code -Dbench.db=postgresql}) beside the Kinde-compatible fake, runs every
 * scenario for a bounded time after a warm-up round, and writes the table (req/s, p50/p99, errors, server CPU
 * per request, resident memory) into the page. Never part of {@code mvn verify}.
 */
public final class BenchRunner {

    static final int PORT = 9280;
    static final String ORIGIN = "http://localhost:" + PORT;
    static final String ADMIN_TOKEN = "bench-admin-token-0123456789abcdef0123456789";

    /** One measured row. */
    record Row(String scenario, String what, double perSecond, double p50Ms, double p99Ms, long errors,
            double cpuMicrosPerRequest) {
    }

    private final int seconds = Integer.getInteger("bench.seconds", 8);
    private final int rounds = Integer.getInteger("bench.rounds", 2);
    private final int connections = Integer.getInteger("bench.connections", 32);
    private final String db = System.getProperty("bench.db", "h2");
    private final Set<String> only = Set.of(System.getProperty("bench.only", "").split(","));
    /** With -Dbench.profile=true the server runs under JFR and the page gets the profile of this run. */
    private final boolean profile = Boolean.getBoolean("bench.profile");
    private final Path recording = Path.of("target", "bench.jfr").toAbsolutePath();
    private final List<Row> rows = new ArrayList<>();
    private ServerProcess server;

    public static void main(String[] args) throws Exception {
        System.setProperty("bridge.it.http.port", String.valueOf(PORT));
        System.setProperty("bridge.it.fakekinde.port", "9291");
        System.setProperty("bridge.it.wlp", Path.of("target/liberty/wlp").toAbsolutePath().toString());
        if (Boolean.getBoolean("bench.jmh")) {
            Microbenchmarks.run();
        } else {
            new BenchRunner().run();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        Wrk.install();
        FakeKinde kinde = TestKinde.get();
        kinde.autoLogin(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        LibertyServer liberty = LibertyServer.create("bench", "http.port=" + PORT + "\nhttps.port=9643\n"
                + "bridge.http.host=localhost\nbridge.management.port=9289\n" + database());
        Files.deleteIfExists(recording);
        Files.writeString(liberty.resolve("jvm.options"), "-Xmx256m\n" + System.getProperty("bench.jvm", "")
                .replace(' ', '\n') + "\n");
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.issuer", ORIGIN);
        config.put("mp.jwt.verify.publickey.location", ORIGIN + "/kinde/jwks");
        config.put("bridge.admin-token", ADMIN_TOKEN);
        config.put("bridge.registration.rate-per-minute", "1000000");
        TestDeployments.bridge(config).addClass(EchoTool.class).as(ZipExporter.class)
                .exportTo(liberty.resolve("dropins/kinde-mcp-bridge.war").toFile(), true);
        long starting = System.nanoTime();
        liberty.start();
        try {
            liberty.awaitOk(ORIGIN + "/.well-known/oauth-authorization-server");
        } catch (AssertionError notStarted) {
            liberty.stop();
            throw notStarted;
        }
        double readyMs = (System.nanoTime() - starting) / 1e6;
        server = ServerProcess.of(liberty.resolve("x").getParent());
        long idleRss = server.residentMb();
        try {
            scenarios(kinde);
        } finally {
            long highWater = server.residentHighWaterMb();
            liberty.stop();
            if (profile) {
                writeProfile();
            } else {
                write(readyMs, idleRss, highWater);
            }
        }
    }

    private String database() {
        if (!"postgresql".equals(db)) {
            return "";
        }
        return "bridge.db.kind=postgresql\nbridge.db.url=" + System.getProperty("bench.pg.url",
                "jdbc:postgresql://127.0.0.1:5432/test") + "\nbridge.db.user=" + System.getProperty("bench.pg.user",
                "postgres") + "\n";
    }

    private void scenarios(FakeKinde kinde) throws Exception {
        String mcp = ORIGIN + "/mcp";
        Map<String, Object> machine = AdminApi.provision("{\"client_name\":\"bench\",\"grant_types\":"
                + "[\"client_credentials\"],\"scope\":\"mcp:read\"}", ADMIN_TOKEN);
        String machineBasic = AdminApi.basic(machine);
        String ccForm = "grant_type=client_credentials&resource=" + LoginDriver.enc(mcp);
        String machineToken = (String) Http.json(Http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(ORIGIN + "/token")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                ccForm)), "Content-Type", "application/x-www-form-urlencoded", "Authorization", machineBasic))
                .get("access_token");
        String userToken = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        String kindeToken = kinde.issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME,
                "https://api.example.test");

        wrk("metadata", "GET /.well-known/oauth-authorization-server", "/.well-known/oauth-authorization-server",
                Map.of());
        wrk("protected-resource", "GET /.well-known/oauth-protected-resource/mcp",
                "/.well-known/oauth-protected-resource/mcp", Map.of());
        wrk("register", "POST /register (DCR, a new client each time)", "/register", Map.of("BENCH_METHOD", "POST",
                "BENCH_CONTENT_TYPE", "application/json", "BENCH_EXPECT", "201", "BENCH_BODY",
                "{\"client_name\":\"bench\",\"redirect_uris\":[\"http://127.0.0.1:8765/callback\"],"
                        + "\"token_endpoint_auth_method\":\"none\"}"));
        wrk("mcp-echo", "POST /mcp tools/call echo, bridge token of a machine", "/mcp", mcpCall(machineToken,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                        + "\"arguments\":{\"text\":\"hi\"}}}"));
        wrk("mcp-list", "POST /mcp tools/list, bridge token of a user", "/mcp", mcpCall(userToken,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"));
        wrk("tool-api", "GET /api/notes with a Kinde token (MicroProfile JWT)", "/api/notes",
                Map.of("BENCH_AUTHORIZATION", "Bearer " + kindeToken));
        wrk("mcp-list-notes", "POST /mcp tools/call list_notes (vault + nested tool-API request)", "/mcp",
                mcpCall(userToken, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                        + "{\"name\":\"list_notes\",\"arguments\":{}}}"));
        wrk("client-credentials", "POST /token client_credentials (one RS256 signature)", "/token",
                Map.of("BENCH_METHOD", "POST", "BENCH_CONTENT_TYPE", "application/x-www-form-urlencoded",
                        "BENCH_AUTHORIZATION", machineBasic, "BENCH_BODY", ccForm));
        flow("refresh", "POST /token refresh_token, rotation in 32 distinct families", connections, () -> {
            Client client = LoginDriver.register("none");
            String[] refresh = {(String) Http.json(LoginDriver.token(LoginDriver.codeExchange(client,
                    LoginDriver.code(client, "mcp:read")))).get("refresh_token")};
            return () -> {
                HttpResponse<String> rotated = LoginDriver.token(LoginDriver.refreshForm(client, refresh[0]));
                if (rotated.statusCode() != 200) {
                    return false;
                }
                refresh[0] = (String) Http.json(rotated).get("refresh_token");
                return true;
            };
        });
        flow("login", "register, authorize, consent, Kinde, callback, token: 8 concurrent flows", 8, () -> () -> {
            Client client = LoginDriver.register("none");
            return LoginDriver.token(LoginDriver.codeExchange(client, LoginDriver.code(client, "mcp:read")))
                    .statusCode() == 200;
        });
    }

    /** With -Dbench.profile=true: JFR on the server for the measured rounds only (jcmd), not start or warm-up. */
    private void startRecording() throws IOException, InterruptedException {
        if (profile) {
            jcmd("JFR.start", "name=bench", "settings=profile");
        }
    }

    private void stopRecording() throws IOException, InterruptedException {
        if (profile) {
            jcmd("JFR.stop", "name=bench", "filename=" + recording);
        }
    }

    private void jcmd(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(server.pid())));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + ": " + output);
        }
    }

    private static Map<String, String> mcpCall(String token, String body) {
        return Map.of("BENCH_METHOD", "POST", "BENCH_CONTENT_TYPE", "application/json", "BENCH_ACCEPT",
                "application/json, text/event-stream", "BENCH_PROTOCOL", "2025-11-25",
                "BENCH_AUTHORIZATION", "Bearer " + token, "BENCH_BODY", body);
    }

    private boolean skipped(String scenario) {
        return !(only.size() == 1 && only.contains("")) && !only.contains(scenario);
    }

    /** One measured round: how many requests or flows, their rate and latency, and the errors. */
    private record Round(long count, double perSecond, double p50Ms, double p99Ms, long errors) {
    }

    private interface RoundRunner {
        Round run() throws Exception;
    }

    private void wrk(String scenario, String what, String path, Map<String, String> request) throws Exception {
        measure(scenario, what, () -> {
            Wrk.Result r = Wrk.run(ORIGIN + path, 2, connections, seconds, request);
            return new Round(r.requests(), r.perSecond(), r.p50Ms(), r.p99Ms(), r.errors());
        });
    }

    private void flow(String scenario, String what, int workers, FlowDriver.FlowFactory factory) throws Exception {
        measure(scenario, what, () -> {
            FlowDriver.Result r = FlowDriver.run(workers, seconds, factory);
            return new Round(r.flows(), r.perSecond(), r.p50Ms(), r.p99Ms(), r.errors());
        });
    }

    /** A warm-up round, then the rounds (recorded by JFR when profiling); the best round goes into the table. */
    private void measure(String scenario, String what, RoundRunner round) throws Exception {
        if (skipped(scenario)) {
            return;
        }
        round.run();
        startRecording();
        Row best = null;
        for (int i = 0; i < rounds; i++) {
            double cpu = server.cpuSeconds();
            Round r = round.run();
            double used = server.cpuSeconds() - cpu;
            Row row = new Row(scenario, what, r.perSecond(), r.p50Ms(), r.p99Ms(), r.errors(),
                    r.count() == 0 ? Double.NaN : used * 1e6 / r.count());
            System.out.println("bench: " + row);
            best = best == null || row.perSecond() > best.perSecond() ? row : best;
        }
        stopRecording();
        rows.add(best);
    }

    /** The profile of this run (only its scenarios, after their warm-up and rounds) into the page. */
    private void writeProfile() throws IOException {
        String scenarios = String.join(",", new java.util.TreeSet<>(only));
        String summary = String.format(Locale.ROOT, "JFR (`settings=profile`) of the server during the measured rounds of `mvn -Pbench "
                + "-Dbench.profile=true -Dbench.only=%s` (%s, %s database): ", scenarios,
                LocalDate.now(), db) + JfrSummary.summarize(recording, 25);
        replaceSection("profile:" + scenarios + ":" + db, summary);
    }

    /** Replaces the results section of the page (between its markers) with this run's table. */
    private void write(double readyMs, long idleRss, long highWater) throws IOException {
        StringBuilder table = new StringBuilder();
        String selection = String.join(",", new java.util.TreeSet<>(only));
        table.append(String.format(Locale.ROOT, "Run of %s: `mvn -Pbench%s%s` (%d s per round, best of %d rounds after "
                        + "a warm-up round; wrk 2 threads, %d connections), %s database, `-Xmx256m`, %d cores, %s.%n%n",
                LocalDate.now(), "postgresql".equals(db) ? " -Dbench.db=postgresql" : "",
                selection.isEmpty() ? "" : " -Dbench.only=" + selection, seconds, rounds,
                connections, db, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.version")));
        table.append("| scenario | what | req/s | p50 | p99 | errors | server CPU per request |\n");
        table.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row row : rows) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.2f ms | %.2f ms | %d | %,.0f µs |%n",
                    row.scenario(), row.what(), row.perSecond(), row.p50Ms(), row.p99Ms(), row.errors(),
                    row.cpuMicrosPerRequest()));
        }
        table.append(String.format(Locale.ROOT, "%nServer ready (metadata served) %.1f s after `server start`; "
                + "resident memory %d MB idle after start, %d MB high-water over the run.%n", readyMs / 1000, idleRss,
                highWater));
        // a run of some scenarios gets a section of its own: it never replaces the table of a whole run
        String scenarios = String.join(",", new java.util.TreeSet<>(only));
        replaceSection("bench:" + db + (scenarios.isEmpty() ? "" : ":" + scenarios), table.toString());
    }

    /** The page's section between {@code <!-- name:begin -->} and {@code <!-- name:end -->}, replaced or added. */
    static void replaceSection(String name, String content) throws IOException {
        Path page = Path.of(System.getProperty("bench.output", "src/site/markdown/benchmarks.md"));
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        String text = Files.exists(page) ? Files.readString(page) : "";
        String section = begin + "\n" + content + end;
        if (text.contains(begin) && text.contains(end)) {
            text = text.substring(0, text.indexOf(begin)) + section + text.substring(text.indexOf(end) + end.length());
        } else {
            text = text + "\n" + section + "\n";
        }
        Files.writeString(page, text);
        System.out.println("bench: written to " + page + "\n" + content);
    }
}
