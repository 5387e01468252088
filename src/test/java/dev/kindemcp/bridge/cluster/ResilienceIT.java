package dev.kindemcp.bridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.FakeApp;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LibertyServer;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.LoginDriver.Client;
import dev.kindemcp.bridge.testsupport.McpCalls;
import dev.kindemcp.bridge.testsupport.TcpProxy;
import dev.kindemcp.bridge.testsupport.TestDatabase;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge with its PostgreSQL gone and back (issue 14.3): a Liberty server of this test's own reaches the
 * database through {@link TcpProxy}, which the test cuts (connections dropped, new ones refused, as when PostgreSQL
 * stops) and restores. Every endpoint that needs the database answers 503 with Retry-After within the pool's
 * acquire timeout, the ones that do not keep answering, and the bridge recovers by itself with nothing lost. A
 * fault between two writes of one operation (a trigger that fails the second) rolls the whole operation back.
 * PostgreSQL run only.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ResilienceIT {

    static final int PORT = 9184;
    static final int DATABASE_PROXY_PORT = 9192;
    static final String ORIGIN = "http://localhost:" + PORT;
    static final int MANAGEMENT_PORT = 9187;
    /** Liberty's own endpoints (/health) answer on the management port only. */
    static final String MANAGEMENT = "http://localhost:" + MANAGEMENT_PORT;
    /** The pool's acquire timeout (liberty/db-postgresql.xml) and what a loaded CI machine may add to it. */
    static final Duration BOUND = Duration.ofSeconds(5).plusSeconds(10);

    static TcpProxy database;
    static LibertyServer server;

    @BeforeAll
    static void startTheServerBehindACuttableDatabase() throws Exception {
        URI pg = URI.create(System.getProperty("bridge.it.pg.url").substring("jdbc:".length()));
        database = TcpProxy.start(DATABASE_PROXY_PORT, pg.getHost(), pg.getPort());
        TestKinde.get().registerApp(new FakeApp(TestKinde.CLIENT_ID, TestKinde.CLIENT_SECRET, Set.of(
                TestDeployments.issuer() + "/kinde/callback", TestDeployments.loadBalancer() + "/kinde/callback",
                ORIGIN + "/kinde/callback")));
        server = LibertyServer.create("node-resilience", "http.port=" + PORT + "\nhttps.port=9547\nbridge.http.host=localhost\n"
                + "bridge.management.port=" + MANAGEMENT_PORT + "\n"
                + "bridge.db.kind=postgresql\nbridge.db.url=jdbc:postgresql://127.0.0.1:" + DATABASE_PROXY_PORT
                + pg.getPath() + "\nbridge.db.user=postgres\n");
        deploy(TestDeployments.TEST_MASTER_KEY);
        server.start();
        awaitUp();
    }

    /** Puts the bridge WAR with this test's configuration and {@code masterKey} into the server's dropins. */
    static void deploy(String masterKey) {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.issuer", ORIGIN);
        config.put("mp.jwt.verify.publickey.location", ORIGIN + "/kinde/jwks");
        config.put("bridge.refresh-token.reuse-grace", "PT2S");
        config.put("bridge.master-key", masterKey);
        TestDeployments.bridge(config).as(ZipExporter.class)
                .exportTo(server.resolve("dropins/kinde-mcp-bridge.war").toFile(), true);
    }

    /** Stops the server's JVM and starts a new one (not a redeploy). */
    static void restart() throws Exception {
        server.stop();
        server.start();
    }

    static void awaitUp() throws Exception {
        server.awaitOk(ORIGIN + "/.well-known/oauth-authorization-server");
    }

    @AfterAll
    static void stopTheServer() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    /** What one request got while the database was away, and how long it took. */
    record Answer(String what, HttpResponse<String> response, Duration took) {
        @Override
        public String toString() {
            return what + " -> " + response.statusCode() + " in " + took.toMillis() + " ms "
                    + response.headers().firstValue("Retry-After").map(r -> "Retry-After " + r + " ").orElse("")
                    + response.body().substring(0, Math.min(160, response.body().length())).replace('\n', ' ');
        }
    }

    static Answer timed(String what, Supplier<HttpResponse<String>> request) {
        long start = System.nanoTime();
        HttpResponse<String> response = request.get();
        return new Answer(what, response, Duration.ofNanos(System.nanoTime() - start));
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void endpointsWhenDatabaseStopsThenServiceUnavailableAndRecoveryWithoutRestart() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        Client client;
        Map<String, Object> tokens;
        String unredeemed;
        client = LoginDriver.register("none");
        tokens = Http.json(LoginDriver.token(LoginDriver.codeExchange(client, LoginDriver.code(client, "mcp:read"))));
        unredeemed = LoginDriver.code(client, "mcp:read");
        String access = (String) tokens.get("access_token");
        String refresh = (String) tokens.get("refresh_token");
        assertEquals("read:notes", ((List<?>) McpCalls.whoami(ORIGIN, access).get("permissions")).get(0));

        database.cut();
        List<Answer> answers = new java.util.ArrayList<>();
        try {
            answers.add(timed("AS metadata", () -> Http.get(ORIGIN + "/.well-known/oauth-authorization-server")));
            answers.add(timed("PR metadata", () -> Http.get(ORIGIN + "/.well-known/oauth-protected-resource/mcp")));
            answers.add(timed("JWKS", () -> Http.get(ORIGIN + "/.well-known/jwks.json")));
            answers.add(timed("tools/list", () -> McpCalls.post(ORIGIN, access, null,
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")));
            answers.add(timed("register", () -> Http.send(HttpRequest.newBuilder(URI.create(ORIGIN + "/register"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"redirect_uris\":[\"" + LoginDriver.REDIRECT + "\"],"
                            + "\"token_endpoint_auth_method\":\"none\"}")), "Content-Type", "application/json")));
            answers.add(timed("refresh", () -> post("/token", LoginDriver.refreshForm(client, refresh))));
            answers.add(timed("code", () -> post("/token", LoginDriver.codeExchange(client, unredeemed))));
            answers.add(timed("revoke", () -> post("/revoke", Map.of("token", refresh, "client_id", client.clientId()))));
            answers.add(timed("authorize", () -> Http.get(ORIGIN + "/authorize?response_type=code&client_id="
                    + LoginDriver.enc(client.clientId()) + "&redirect_uri=" + LoginDriver.enc(LoginDriver.REDIRECT)
                    + "&code_challenge=" + LoginDriver.CHALLENGE + "&code_challenge_method=S256&state=s&scope=mcp%3Aread"
                    + "&resource=" + LoginDriver.enc(ORIGIN + "/mcp"), "Accept", "text/html")));
            answers.add(timed("Kinde callback", () -> Http.get(ORIGIN + "/kinde/callback?code=c&state=s",
                    "Accept", "text/html")));
            answers.add(timed("tool API", () -> Http.get(ORIGIN + "/api/notes", "Authorization", "Bearer "
                    + TestKinde.get().issueUserAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME,
                            "https://api.example.test"))));
            answers.add(timed("whoami", () -> McpCalls.post(ORIGIN, access, null, "{\"jsonrpc\":\"2.0\",\"id\":2,"
                    + "\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\",\"arguments\":{}}}")));
            answers.add(timed("readiness", () -> Http.get(MANAGEMENT + "/health/ready")));
        } finally {
            database.restore();
        }
        System.out.println("with the database away:\n  " + String.join("\n  ", answers.stream().map(Answer::toString).toList()));
        for (Answer answer : answers) {
            assertTrue(answer.took().compareTo(BOUND) < 0, "answered within the pool's timeout: " + answer);
            assertFalse(answer.response().statusCode() == 500, "never a 500: " + answer);
        }
        for (Answer answer : answers.subList(0, 4)) {
            assertEquals(200, answer.response().statusCode(), "needs no database: " + answer);
        }
        for (Answer answer : answers.subList(4, 8)) {
            assertEquals(503, answer.response().statusCode(), answer.toString());
            assertTrue(answer.response().headers().firstValue("Retry-After").isPresent(), answer.toString());
            assertEquals("temporarily_unavailable", Http.json(answer.response()).get("error"), answer.toString());
        }
        for (Answer page : answers.subList(8, 10)) {
            assertEquals(503, page.response().statusCode(), page.toString());
            assertTrue(page.response().headers().firstValue("Retry-After").isPresent(), page.toString());
            assertTrue(page.response().headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                    "a page on the browser path: " + page);
        }
        Answer api = answers.get(10);
        assertEquals(503, api.response().statusCode(), api.toString());
        assertEquals("temporarily_unavailable", Http.json(api.response()).get("error"), api.toString());
        Answer readiness = answers.get(12);
        assertEquals(503, readiness.response().statusCode(), "not ready without the database: " + readiness);
        assertTrue(readiness.response().body().contains("\"database\""), readiness.toString());
        Answer whoami = answers.get(11);
        assertEquals(200, whoami.response().statusCode(), whoami.toString());
        assertTrue(whoami.response().body().contains("\"isError\":true") && whoami.response().body()
                .contains("database is unavailable"), "a tool that needs the vault says to retry: " + whoami);

        // back by itself: the refresh token and the code that met the outage are unspent
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        HttpResponse<String> refreshed = post("/token", LoginDriver.refreshForm(client, refresh));
        while (refreshed.statusCode() == 503 && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            refreshed = post("/token", LoginDriver.refreshForm(client, refresh));
        }
        assertEquals(200, refreshed.statusCode(), "recovered without a restart: " + refreshed.body());
        HttpResponse<String> ready = ready();
        assertEquals(200, ready.statusCode(), "ready again: " + ready.body());
        HttpResponse<String> redeemed = post("/token", LoginDriver.codeExchange(client, unredeemed));
        assertEquals(200, redeemed.statusCode(), "the code is unspent: " + redeemed.body());
        String renewed = (String) Http.json(refreshed).get("access_token");
        assertEquals("read:notes", ((List<?>) McpCalls.whoami(ORIGIN, renewed).get("permissions")).get(0));
        Client another = LoginDriver.register("none");
        assertEquals(200, LoginDriver.token(LoginDriver.codeExchange(another,
                LoginDriver.code(another, "mcp:read"))).statusCode(), "a whole login works again");
    }

    /**
     * A fault between the two writes of a code redemption (the family, then its refresh token) and of a rotation
     * (the old token marked, then its successor): a trigger fails the second write for this test's client. The
     * client gets 503 and nothing is spent: with the trigger gone, the same code and refresh token work.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void operationWhenSecondWriteFailsThenWholeOperationRolledBack() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        Client client;
        String code;
        String refresh;
        client = LoginDriver.register("none");
        refresh = (String) Http.json(LoginDriver.token(LoginDriver.codeExchange(client,
                LoginDriver.code(client, "mcp:read")))).get("refresh_token");
        code = LoginDriver.code(client, "mcp:read");
        try (Connection db = TestDatabase.connect(); Statement s = db.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION bridge_test_fault() RETURNS trigger AS $$ BEGIN"
                    + " IF EXISTS (SELECT 1 FROM refresh_family f WHERE f.id = NEW.family_id AND f.client_id = '"
                    + client.clientId() + "') THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$"
                    + " LANGUAGE plpgsql");
            s.execute("CREATE TRIGGER bridge_test_fault BEFORE INSERT ON refresh_token FOR EACH ROW"
                    + " EXECUTE FUNCTION bridge_test_fault()");
            try {
                for (Map<String, String> form : List.of(LoginDriver.codeExchange(client, code),
                        LoginDriver.refreshForm(client, refresh))) {
                    HttpResponse<String> failed = post("/token", form);
                    assertEquals(503, failed.statusCode(), failed.body());
                    assertEquals("temporarily_unavailable", Http.json(failed).get("error"));
                    assertTrue(failed.headers().firstValue("Retry-After").isPresent());
                }
                assertEquals(1, count(s, "SELECT COUNT(*) FROM refresh_family WHERE client_id = '" + client.clientId()
                        + "'"), "the failed redemption left no family");
                assertEquals(0, count(s, "SELECT COUNT(*) FROM refresh_token t JOIN refresh_family f ON t.family_id"
                        + " = f.id WHERE f.client_id = '" + client.clientId() + "' AND t.rotated_at IS NOT NULL"),
                        "the failed rotation left the token unrotated");
            } finally {
                s.execute("DROP TRIGGER bridge_test_fault ON refresh_token");
                s.execute("DROP FUNCTION bridge_test_fault()");
            }
        }
        HttpResponse<String> redeemed = post("/token", LoginDriver.codeExchange(client, code));
        assertEquals(200, redeemed.statusCode(), "the code is unspent: " + redeemed.body());
        HttpResponse<String> refreshed = post("/token", LoginDriver.refreshForm(client, refresh));
        assertEquals(200, refreshed.statusCode(), "the refresh token is unspent: " + refreshed.body());
    }

    private static int count(Statement s, String sql) throws Exception {
        try (java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Kinde hanging (issue 14.6): 40 people come back from Kinde's sign-in at once, and the bridge's requests to
     * Kinde's token endpoint hang. They end with an error page within the Kinde timeouts (those beyond the 32 that
     * may wait end at once), and meanwhile the endpoints that do not need Kinde answer without waiting for it:
     * metadata, JWKS, the consent page, a refresh whose Kinde token is valid, and tool calls with a valid token.
     */
    @Test
    @org.junit.jupiter.api.Order(50)
    void kindeWhenHangingThenEndpointsThatDoNotNeedItKeepAnswering() throws Exception {
        dev.kindemcp.bridge.kinde.fake.FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        Client client = LoginDriver.register("none");
        Map<String, Object> tokens = Http.json(LoginDriver.token(LoginDriver.codeExchange(client,
                LoginDriver.code(client, "mcp:read"))));
        String access = (String) tokens.get("access_token");
        String refresh = (String) tokens.get("refresh_token");
        McpCalls.whoami(ORIGIN, access); // Kinde's keys are in the bridge's cache
        List<Map.Entry<dev.kindemcp.bridge.testsupport.BrowserSession, String>> returning = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            returning.add(backFromKinde(client));
        }
        Duration kindeTimeouts = Duration.ofSeconds(2 + 2); // kinde.connect-timeout (default) + kinde.read-timeout (test)

        kinde.hangAll();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(40);
        try {
            List<java.util.concurrent.Future<Answer>> callbacks = new java.util.ArrayList<>();
            for (Map.Entry<dev.kindemcp.bridge.testsupport.BrowserSession, String> back : returning) {
                callbacks.add(pool.submit(() -> timed("callback", () -> back.getKey().get(back.getValue()))));
            }
            Thread.sleep(500); // the callbacks are waiting for Kinde
            List<Answer> answers = new java.util.ArrayList<>();
            answers.add(timed("AS metadata", () -> Http.get(ORIGIN + "/.well-known/oauth-authorization-server")));
            answers.add(timed("JWKS", () -> Http.get(ORIGIN + "/.well-known/jwks.json")));
            answers.add(timed("consent page", () -> new dev.kindemcp.bridge.testsupport.BrowserSession().get(
                    authorizeUrl(client))));
            answers.add(timed("refresh", () -> post("/token", LoginDriver.refreshForm(client, refresh))));
            answers.add(timed("tools/list", () -> McpCalls.post(ORIGIN, access, null,
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")));
            answers.add(timed("whoami", () -> McpCalls.post(ORIGIN, access, null, "{\"jsonrpc\":\"2.0\",\"id\":2,"
                    + "\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\",\"arguments\":{}}}")));
            List<Answer> ended = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Answer> callback : callbacks) {
                ended.add(callback.get(60, TimeUnit.SECONDS));
            }
            System.out.println("with Kinde hanging:\n  " + String.join("\n  ", answers.stream().map(Answer::toString)
                    .toList()) + "\n  40 callbacks: " + ended.stream().map(a -> a.response().statusCode() + "/"
                    + a.took().toMillis() + "ms").sorted().toList());
            for (Answer answer : answers) {
                assertEquals(200, answer.response().statusCode(), answer.toString());
                assertTrue(answer.took().compareTo(Duration.ofSeconds(2)) < 0, "did not wait for Kinde: " + answer);
            }
            assertFalse(answers.get(5).response().body().contains("\"isError\":true"), answers.get(5).toString());
            long atOnce = ended.stream().filter(a -> a.took().compareTo(Duration.ofSeconds(1)) < 0).count();
            for (Answer callback : ended) {
                // RFC 6749 §4.1.2.1: the sign-in ends at the client with temporarily_unavailable
                String location = callback.response().headers().firstValue("Location").orElse("");
                assertEquals(302, callback.response().statusCode(), "back to the client: " + callback);
                assertTrue(location.startsWith(LoginDriver.REDIRECT) && location.contains(
                        "error=temporarily_unavailable"), "Kinde unreachable: " + location);
                assertTrue(callback.took().compareTo(kindeTimeouts.plusSeconds(5)) < 0, "bounded: " + callback);
            }
            assertTrue(atOnce >= 40 - 32, "beyond 32 waiting, the callbacks end at once: " + atOnce);
        } finally {
            kinde.clearFaults();
            pool.shutdownNow();
        }
    }

    private static String authorizeUrl(Client client) {
        return ORIGIN + "/authorize?response_type=code&client_id=" + LoginDriver.enc(client.clientId())
                + "&redirect_uri=" + LoginDriver.enc(LoginDriver.REDIRECT) + "&code_challenge=" + LoginDriver.CHALLENGE
                + "&code_challenge_method=S256&state=st&scope=mcp%3Aread&resource=" + LoginDriver.enc(ORIGIN + "/mcp");
    }

    /** A browser that approved the consent and signed in at Kinde, and the callback URL Kinde sent it to. */
    private static Map.Entry<dev.kindemcp.bridge.testsupport.BrowserSession, String> backFromKinde(Client client) {
        dev.kindemcp.bridge.testsupport.BrowserSession browser = new dev.kindemcp.bridge.testsupport.BrowserSession();
        HttpResponse<String> page = browser.get(authorizeUrl(client));
        assertEquals(200, page.statusCode(), page.body());
        Map<String, String> form = new LinkedHashMap<>(dev.kindemcp.bridge.testsupport.BrowserSession.formFields(page.body()));
        form.put("decision", "approve");
        HttpResponse<String> approved = browser.postForm(ORIGIN + "/authorize/consent", form, "Origin", ORIGIN);
        HttpResponse<String> atKinde = browser.get(approved.headers().firstValue("Location").orElseThrow());
        return Map.entry(browser, atKinde.headers().firstValue("Location").orElseThrow());
    }

    /**
     * A JVM restart loses nothing (issue 14.4): the client, its consent, its refresh family, an unredeemed code,
     * the vault row and the signing keys are all there afterwards, and a refresh token rotated before the restart
     * is still refused as reused (which ends its family).
     */
    @Test
    @org.junit.jupiter.api.Order(10)
    void restartWhenJvmRestartsThenStateSurvivesAndRotatedTokensStayRejected() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        assertEquals(200, ready().statusCode(), "ready before");
        Client client = LoginDriver.register("none");
        Map<String, Object> tokens = Http.json(LoginDriver.token(LoginDriver.codeExchange(client,
                LoginDriver.code(client, "mcp:read"))));
        String access = (String) tokens.get("access_token");
        String rotated = (String) tokens.get("refresh_token");
        HttpResponse<String> rotation = post("/token", LoginDriver.refreshForm(client, rotated));
        assertEquals(200, rotation.statusCode(), rotation.body());
        String current = (String) Http.json(rotation).get("refresh_token");
        String unredeemed = LoginDriver.code(client, "mcp:read");
        String keys = Http.get(ORIGIN + "/.well-known/jwks.json").body();
        int consents;
        try (Connection db = TestDatabase.connect(); Statement s = db.createStatement()) {
            consents = count(s, "SELECT COUNT(*) FROM consent WHERE client_id = '" + client.clientId() + "'");
        }
        assertTrue(consents > 0, "the approvals were stored");

        long start = System.nanoTime();
        restart();
        awaitUp();
        System.out.println("restart (stop, start, first answer): " + (System.nanoTime() - start) / 1_000_000 + " ms");

        assertEquals(200, ready().statusCode(), "ready after");
        assertEquals(keys, Http.get(ORIGIN + "/.well-known/jwks.json").body(), "the same signing keys");
        assertEquals("read:notes", ((List<?>) McpCalls.whoami(ORIGIN, access).get("permissions")).get(0),
                "the access token and the vault row behind it work");
        HttpResponse<String> redeemed = post("/token", LoginDriver.codeExchange(client, unredeemed));
        assertEquals(200, redeemed.statusCode(), "the unexpired code survived: " + redeemed.body());
        try (Connection db = TestDatabase.connect(); Statement s = db.createStatement()) {
            assertEquals(consents, count(s, "SELECT COUNT(*) FROM consent WHERE client_id = '" + client.clientId() + "'"));
        }
        HttpResponse<String> next = post("/token", LoginDriver.refreshForm(client, current));
        assertEquals(200, next.statusCode(), "the family survived: " + next.body());
        HttpResponse<String> reused = post("/token", LoginDriver.refreshForm(client, rotated));
        assertEquals(400, reused.statusCode(), "a token rotated before the restart stays rejected: " + reused.body());
        assertEquals("invalid_grant", Http.json(reused).get("error"));
        HttpResponse<String> afterReuse = post("/token", LoginDriver.refreshForm(client,
                (String) Http.json(next).get("refresh_token")));
        assertEquals(400, afterReuse.statusCode(), "the reuse ended the family: " + afterReuse.body());
        assertEquals(200, LoginDriver.token(LoginDriver.codeExchange(client, LoginDriver.code(client, "mcp:read")))
                .statusCode(), "the client authorizes after the restart");
    }

    /**
     * A start with a master key that cannot decrypt the stored signing keys (issue 14.4): the application stops
     * with one line naming the setting, and the server reports itself not ready, instead of answering 404
     * everywhere while looking healthy. The right key brings it back.
     */
    @Test
    @org.junit.jupiter.api.Order(100)
    void startWhenMasterKeyCannotDecryptTheKeysThenOneClearLineAndNotReady() throws Exception {
        server.stop();
        deploy("BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=");
        try {
            server.start();
            String line = "bridge.master-key";
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while (!server.log().contains("cannot be decrypted with this key") && Instant.now().isBefore(deadline)) {
                Thread.sleep(500);
            }
            List<String> lines = server.log().lines().filter(l -> l.contains(line)).toList();
            System.out.println("with the wrong master key:\n  " + String.join("\n  ", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains("cannot be decrypted with this key")), server.log());
            HttpResponse<String> ready = Http.get(MANAGEMENT + "/health/ready");
            System.out.println("/health/ready: " + ready.statusCode() + " " + ready.body());
            assertEquals(503, ready.statusCode(), "not ready: " + ready.body());
            assertTrue(ready.body().contains("DOWN"), ready.body());
        } finally {
            server.stop();
            deploy(TestDeployments.TEST_MASTER_KEY);
            server.start();
            awaitUp();
        }
    }

    /** {@code /health/ready}, asked until it says ready (at most 10 s: the first Kinde check runs at start). */
    static HttpResponse<String> ready() throws InterruptedException {
        HttpResponse<String> ready = Http.get(MANAGEMENT + "/health/ready");
        for (int i = 0; i < 40 && ready.statusCode() != 200; i++) {
            Thread.sleep(250);
            ready = Http.get(MANAGEMENT + "/health/ready");
        }
        return ready;
    }

    /** A form POST to this test's server (the logins of each test go there: {@link LoginDriver#at}). */
    static HttpResponse<String> post(String path, Map<String, String> form) {
        return LoginDriver.post(path, new LinkedHashMap<>(form));
    }

    @org.junit.jupiter.api.BeforeEach
    void loginsGoToThisServer() {
        atThisServer = LoginDriver.at(ORIGIN);
    }

    @org.junit.jupiter.api.AfterEach
    void loginsGoBack() throws Exception {
        atThisServer.close();
    }

    AutoCloseable atThisServer;
}
