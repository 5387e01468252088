package dev.kindemcp.bridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.FakeKinde;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LibertyServer;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.McpCalls;
import dev.kindemcp.bridge.testsupport.Parallel;
import dev.kindemcp.bridge.testsupport.McpClientDriver;
import dev.kindemcp.bridge.testsupport.RoundRobinProxy;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two bridge instances on one PostgreSQL behind a load balancer without stickiness (issue 14): instance A is the
 * Arquillian test server, instance B a second Liberty server this test starts with the same WAR and
 * configuration, and {@link RoundRobinProxy} sends each request to the other one. The official TypeScript MCP
 * SDK client goes through discovery, registration, consent, login, tool calls, a step-up, refresh and
 * revocation with every consecutive request on a different instance. PostgreSQL run only.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClusterIT {

    static final int PROXY_PORT = URI.create(TestDeployments.loadBalancer()).getPort();
    static final int NODE_B_PORT = 9183;
    static final String PUBLIC = TestDeployments.loadBalancer();
    static final String NODE_B = "node-b";
    static RoundRobinProxy proxy;
    static LibertyServer server;

    static Map<String, String> config() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.issuer", PUBLIC);
        config.put("mp.jwt.verify.publickey.location", PUBLIC + "/kinde/jwks");
        config.put("bridge.refresh-token.reuse-grace", "PT5S"); // a purge period of 5 s
        return config;
    }

    @Deployment
    static WebArchive instanceA() {
        return TestDeployments.bridge(config());
    }

    @BeforeAll
    static void startInstanceBAndTheProxy() throws Exception {
        server = LibertyServer.create(NODE_B, "http.port=" + NODE_B_PORT + "\nhttps.port=9546\nbridge.management.port=9186\n"
                + "bridge.http.host=localhost\nbridge.db.kind=postgresql\nbridge.db.url="
                + System.getProperty("bridge.it.pg.url") + "\nbridge.db.user=postgres\n");
        TestDeployments.bridge(config()).as(ZipExporter.class)
                .exportTo(server.resolve("dropins/kinde-mcp-bridge.war").toFile(), true);
        server.start();
        String metadata = "http://localhost:" + NODE_B_PORT + "/.well-known/oauth-authorization-server";
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end && Http.statusOrClosed(() -> Http.get(metadata)) != 200) {
            Thread.sleep(500);
        }
        assertEquals(200, Http.get(metadata).statusCode(), "instance B did not start:\n" + server.log());
        proxy = RoundRobinProxy.start(PROXY_PORT, List.of(URI.create(TestDeployments.issuer()),
                URI.create("http://localhost:" + NODE_B_PORT)));
    }

    @AfterAll
    static void stopInstanceBAndTheProxy() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    static Map<String, String> throughTheProxy() {
        return Map.of("MCP_URL", PUBLIC + "/mcp", "BRIDGE_ISSUER", PUBLIC);
    }

    /** A user's whole MCP client path with consecutive requests on alternating instances. */
    @Test
    void userWhenRequestsAlternateBetweenInstancesThenTheWholeFlowWorks() throws Exception {
        McpClientDriver.assumeInstalled();
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        Map<URI, Integer> before = proxy.served();
        McpClientDriver.assertSteps(McpClientDriver.run("user", throughTheProxy()), McpClientDriver.USER_STEPS);
        Map<URI, Integer> after = proxy.served();
        System.out.println("requests per instance: before " + before + ", after " + after);
        for (URI instance : after.keySet()) {
            assertTrue(after.get(instance) - before.get(instance) >= 10, "each instance answered: " + after);
        }
    }

    /** An agent with Kinde M2M credentials, its requests alternating between the instances. */
    @Test
    void machineWhenRequestsAlternateBetweenInstancesThenToolsWork() throws Exception {
        McpClientDriver.assumeInstalled();
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        McpClientDriver.assertSteps(McpClientDriver.run("machine", throughTheProxy()), McpClientDriver.MACHINE_STEPS);
    }

    /**
     * The TypeScript client 2.4.0 negotiates MCP 2026-07-28 and works with its requests alternating between the
     * instances, for a user and for an agent; and speaks 2025-11-25 the same way when told to.
     */
    @Test
    void typeScriptClient24WhenRequestsAlternateBetweenInstancesThenBothErasWork() throws Exception {
        McpClientDriver.assumeInstalled();
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        String token;
        try (AutoCloseable at = LoginDriver.at(PUBLIC)) {
            token = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        }
        Map<String, String> env = new java.util.HashMap<>(throughTheProxy());
        env.put("BRIDGE_TOKEN", token);
        Map<URI, Integer> before = proxy.served();
        McpClientDriver.assertSteps(McpClientDriver.runV2("modern-user", env), McpClientDriver.MODERN_USER_STEPS);
        McpClientDriver.assertSteps(McpClientDriver.runV2("modern-machine", throughTheProxy()),
                McpClientDriver.MODERN_MACHINE_STEPS);
        Map<String, Object> legacy = McpClientDriver.runV2("legacy-user", env);
        assertTrue(((List<?>) legacy.get("steps")).contains("negotiated 2025-11-25"), legacy.toString());
        Map<URI, Integer> after = proxy.served();
        for (URI instance : after.keySet()) {
            assertTrue(after.get(instance) - before.get(instance) >= 8, "each instance answered: " + after);
        }
    }

    /**
     * A grant whose Kinde token is due for renewal, used on both instances at once: Kinde sees one refresh (the
     * grant's row lock in the database), and every call gets a working Kinde token.
     */
    @Test
    void kindeRefreshWhenBothInstancesNeedItAtOnceThenKindeSeesOneRefresh() throws Exception {
        FakeKinde kinde = TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        // inside the vault's 60 s renewal margin from the start: the first use renews it, the renewed one is kept
        kinde.setAccessTokenLifetime(Duration.ofSeconds(30));
        try {
            String token;
            try (AutoCloseable at = LoginDriver.at(PUBLIC)) {
                token = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
            }
            kinde.clearRequests();
            kinde.delayNext(FakeKinde.TOKEN_PATH, Duration.ofMillis(800));
            List<String> instances = List.of(TestDeployments.issuer(), "http://localhost:" + NODE_B_PORT);
            java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
            List<Map<String, Object>> results = Parallel.run(8, () -> {
                int i = turn.getAndIncrement();
                HttpResponse<String> call = McpCalls.post(instances.get(i % 2), token, null, "{\"jsonrpc\":\"2.0\","
                        + "\"id\":" + i + ",\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\",\"arguments\":{}}}");
                assertEquals(200, call.statusCode(), call.body());
                return McpCalls.JsonRpc.member(Http.jsonRpc(call), "result");
            });
            for (Map<String, Object> result : results) {
                Map<String, Object> me = McpCalls.JsonRpc.member(result, "structuredContent");
                assertEquals(KindeDemoData.ALICE_ID, McpCalls.JsonRpc.member(me, "tool_api_sees").get("subject"),
                        result.toString());
            }
            assertEquals(1, kinde.requestCount(FakeKinde.TOKEN_PATH), "Kinde refresh requests: " + kinde.requests());
        } finally {
            kinde.setAccessTokenLifetime(FakeKinde.DEFAULT_ACCESS_TOKEN_LIFETIME);
        }
    }

    /**
     * Both instances tick the purge every 5 s; each period is claimed in the database by one of them, so the
     * purge runs once per period, not once per instance and period (issue 14.5).
     */
    @Test
    void purgeWhenBothInstancesTickThenOneRunsPerPeriod() throws Exception {
        String sql = "SELECT claims FROM bridge_task WHERE name = 'purge'";
        try (java.sql.Connection db = dev.kindemcp.bridge.testsupport.TestDatabase.connect();
                java.sql.Statement s = db.createStatement()) {
            long before = claims(s, sql);
            long start = System.nanoTime();
            Thread.sleep(20_000);
            long periods = (System.nanoTime() - start) / TimeUnit.SECONDS.toNanos(5);
            long runs = claims(s, sql) - before;
            System.out.println("purge runs in " + periods + " periods with two instances: " + runs);
            assertTrue(runs >= periods - 1 && runs <= periods + 1, "one run per period, not per instance: " + runs
                    + " runs in " + periods + " periods");
        }
    }

    /**
     * A signing-key rotation with both instances running (issue 14.1): the next key, published from its creation,
     * is made due in 5 s in the database. Until each instance has read that, it signs with the current key; then
     * both sign with the new one, and one of them creates the key after it, which both then publish. At every
     * moment, whichever instance signed a token, both instances' key sets hold its key.
     */
    @Test
    void signingKeyWhenRotatedThenBothInstancesPublishEveryKeyEitherSignsWith() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        List<String> instances = List.of(TestDeployments.issuer(), "http://localhost:" + NODE_B_PORT);
        LoginDriver.Client client;
        String refresh;
        try (AutoCloseable at = LoginDriver.at(PUBLIC)) {
            client = LoginDriver.register("none");
            refresh = (String) Http.json(LoginDriver.token(LoginDriver.codeExchange(client,
                    LoginDriver.code(client, "mcp:read")))).get("refresh_token");
        }
        java.util.Set<String> before = kids(instances.get(0));
        assertEquals(before, kids(instances.get(1)), "both publish the same keys");
        String next;
        try (java.sql.Connection db = dev.kindemcp.bridge.testsupport.TestDatabase.connect();
                java.sql.Statement s = db.createStatement()) {
            try (java.sql.ResultSet rs = s.executeQuery("SELECT kid FROM signing_key ORDER BY activates_at DESC")) {
                assertTrue(rs.next(), "a next key");
                next = rs.getString(1);
            }
            assertTrue(before.contains(next), "the next key is published before it signs: " + before);
            s.executeUpdate("UPDATE signing_key SET activates_at = " + (System.currentTimeMillis() + 5_000)
                    + " WHERE kid = '" + next + "'");
        }
        java.util.Set<String> signers = new java.util.HashSet<>();
        java.util.Set<String> created = new java.util.HashSet<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(170);
        int round = 0;
        while (System.nanoTime() < end && (signers.size() < 2 || created.isEmpty())) {
            String instance = instances.get(round++ % 2);
            HttpResponse<String> rotated = token(instance, LoginDriver.refreshForm(client, refresh));
            assertEquals(200, rotated.statusCode(), rotated.body());
            refresh = (String) Http.json(rotated).get("refresh_token");
            String kid = com.nimbusds.jwt.SignedJWT.parse((String) Http.json(rotated).get("access_token"))
                    .getHeader().getKeyID();
            java.util.Set<String> atA = kids(instances.get(0));
            java.util.Set<String> atB = kids(instances.get(1));
            assertTrue(atA.contains(kid) && atB.contains(kid), "a token of " + instance + " signed with " + kid
                    + ", published by A " + atA + " and B " + atB);
            if (kid.equals(next)) {
                signers.add(instance);
            }
            java.util.Set<String> both = new java.util.HashSet<>(atA);
            both.retainAll(atB);
            both.removeAll(before);
            created.addAll(both);
            Thread.sleep(2_000);
        }
        System.out.println("rotation: " + signers.size() + " instances sign with " + next + ", created and published"
                + " by both: " + created + ", after " + round + " refreshes");
        assertEquals(2, signers.size(), "both instances sign with the rotated-in key");
        assertFalse(created.isEmpty(), "the key after it is published by both");
    }

    private static java.util.Set<String> kids(String instance) throws Exception {
        java.util.Set<String> kids = new java.util.HashSet<>();
        com.nimbusds.jose.jwk.JWKSet.parse(Http.get(instance + "/.well-known/jwks.json").body()).getKeys()
                .forEach(k -> kids.add(k.getKeyID()));
        return kids;
    }

    private static long claims(java.sql.Statement s, String sql) throws Exception {
        try (java.sql.ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), "the purge task row");
            return rs.getLong(1);
        }
    }

    /** POST /token with {@code form} to one instance directly. */
    static HttpResponse<String> token(String instance, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> LoginDriver.enc(e.getKey()) + "=" + LoginDriver.enc(e.getValue()))
                .reduce((a, b) -> a + "&" + b).orElse("");
        return Http.send(java.net.http.HttpRequest.newBuilder(URI.create(instance + "/token"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)),
                "Content-Type", "application/x-www-form-urlencoded");
    }

    /**
     * One code sent to both instances by 10 requests at once: exactly one is answered with tokens, and the replay
     * revokes them (CON-01 across instances). One refresh token of another login sent to both by 10 requests at
     * once: every answer that is not refused carries the same successor (CON-02 across instances).
     */
    @Test
    void codeAndRefreshWhenRacedOnBothInstancesThenOneRedemptionAndOneSuccessor() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        List<String> instances = List.of(TestDeployments.issuer(), "http://localhost:" + NODE_B_PORT);
        Map<String, String> raced;
        Map<String, String> single;
        LoginDriver.Client client;
        try (AutoCloseable at = LoginDriver.at(PUBLIC)) {
            client = LoginDriver.register("none");
            raced = LoginDriver.codeExchange(client, LoginDriver.code(client, "mcp:read"));
            single = LoginDriver.codeExchange(client, LoginDriver.code(client, "mcp:read"));
        }
        java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
        List<HttpResponse<String>> redemptions = Parallel.run(10,
                () -> token(instances.get(turn.getAndIncrement() % 2), raced));
        List<HttpResponse<String>> issued = redemptions.stream().filter(r -> r.statusCode() == 200).toList();
        assertEquals(1, issued.size(), "one redemption: " + redemptions.stream().map(HttpResponse::statusCode).toList());
        for (HttpResponse<String> refused : redemptions) {
            assertTrue(refused.statusCode() == 200 || refused.statusCode() == 400 && "invalid_grant".equals(
                    Http.json(refused).get("error")), refused.body());
        }
        HttpResponse<String> afterReplay = token(instances.get(1), LoginDriver.refreshForm(client,
                (String) Http.json(issued.get(0)).get("refresh_token")));
        assertEquals(400, afterReplay.statusCode(), "the replayed code's tokens are revoked: " + afterReplay.body());

        HttpResponse<String> login = token(instances.get(0), single);
        assertEquals(200, login.statusCode(), login.body());
        Map<String, String> refresh = LoginDriver.refreshForm(client, (String) Http.json(login).get("refresh_token"));
        List<HttpResponse<String>> rotations = Parallel.run(10,
                () -> token(instances.get(turn.getAndIncrement() % 2), refresh));
        java.util.Set<Object> successors = new java.util.HashSet<>();
        for (HttpResponse<String> rotation : rotations) {
            if (rotation.statusCode() == 200) {
                successors.add(Http.json(rotation).get("refresh_token"));
            } else {
                assertEquals("invalid_grant", Http.json(rotation).get("error"), rotation.body());
            }
        }
        assertEquals(1, successors.size(), "one successor for the family: "
                + rotations.stream().map(r -> r.statusCode() + " " + r.body()).toList());
    }
}
