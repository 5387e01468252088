package dev.kindemcp.bridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.LoginDriver.Client;
import dev.kindemcp.bridge.testsupport.TestDatabase;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bounded storage at scale on PostgreSQL (issue 14.5): with 100,000 live grants stored, a backlog of ended ones is
 * worked off by the purge, and every lookup of a refresh and every purge step is an index scan (the plan, not a
 * timing, is asserted; the refresh times with a small and a large table are printed for the fault report).
 * PostgreSQL run only.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RetentionScaleIT {

    static final int LIVE = 100_000;
    static final int ENDED = 5_000;
    static final long FAR = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.refresh-token.reuse-grace", "PT2S"); // a purge every 5 s
        return TestDeployments.bridge(config);
    }

    @AfterAll
    static void removeTheSyntheticRows() throws Exception {
        try (Connection db = TestDatabase.connect(); Statement s = db.createStatement()) {
            s.executeUpdate("DELETE FROM refresh_token WHERE token_hash LIKE 'scale-%'");
            s.executeUpdate("DELETE FROM refresh_family WHERE id LIKE 'scale-%'");
            s.executeUpdate("DELETE FROM kinde_grant WHERE id LIKE 'scale-%'");
        }
    }

    @Test
    void purgeWhenTablesAreLargeThenBacklogGoesAndEveryStepIsAnIndexScan() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        Client client = LoginDriver.register("none");
        String refresh = (String) ok(LoginDriver.token(LoginDriver.codeExchange(client,
                LoginDriver.code(client, "mcp:read")))).get("refresh_token");
        List<Long> small = new ArrayList<>();
        refresh = timeRefreshes(client, refresh, small);
        try (Connection db = TestDatabase.connect(); Statement s = db.createStatement()) {
            long now = System.currentTimeMillis();
            insert(s, 1, LIVE, FAR, now);
            insert(s, LIVE + 1, LIVE + ENDED, now - 60_000, now); // ended a minute ago: the backlog
            s.execute("ANALYZE kinde_grant, refresh_family, refresh_token");

            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (count(s, "SELECT COUNT(*) FROM refresh_family WHERE id LIKE 'scale-%' AND absolute_expires_at < "
                    + now) > 0) {
                assertTrue(Instant.now().isBefore(deadline), "the backlog of " + ENDED + " ended grants stayed");
                Thread.sleep(500);
            }
            assertEquals(0, count(s, "SELECT COUNT(*) FROM kinde_grant WHERE id LIKE 'scale-g-%' AND id NOT IN"
                    + " (SELECT grant_id FROM refresh_family)"), "the ended grants' vault rows went with them");
            assertEquals(0, count(s, "SELECT COUNT(*) FROM refresh_token WHERE token_hash LIKE 'scale-%' AND family_id"
                    + " NOT IN (SELECT id FROM refresh_family)"), "and their refresh tokens");
            assertEquals(LIVE, count(s, "SELECT COUNT(*) FROM refresh_family WHERE id LIKE 'scale-%'"), "live ones stay");

            s.execute("ANALYZE kinde_grant, refresh_family, refresh_token");
            long t = System.currentTimeMillis();
            for (String sql : List.of(
                    // the refresh path: token, family and vault row by key, rotation by key
                    "SELECT * FROM refresh_token WHERE token_hash = 'scale-t-77'",
                    "SELECT * FROM refresh_family WHERE id = 'scale-f-77'",
                    "SELECT * FROM kinde_grant WHERE id = 'scale-g-77'",
                    "UPDATE refresh_token SET rotated_at = 1 WHERE token_hash = 'scale-t-77' AND rotated_at IS NULL",
                    // the purge steps (JpaTokenStore.purgeEnded)
                    "SELECT token_hash, family_id FROM refresh_token WHERE idle_expires_at < " + t + " LIMIT 500",
                    "SELECT id, grant_id FROM refresh_family WHERE absolute_expires_at < " + t + " OR revoked_at < " + t
                            + " LIMIT 500",
                    "SELECT id FROM kinde_grant WHERE purge_after < " + t + " LIMIT 500",
                    "DELETE FROM refresh_token WHERE family_id IN ('scale-f-1', 'scale-f-2')",
                    "SELECT id FROM refresh_family f WHERE f.id IN ('scale-f-1') AND NOT EXISTS"
                            + " (SELECT 1 FROM refresh_token r WHERE r.family_id = f.id)",
                    "DELETE FROM kinde_grant g WHERE g.id IN ('scale-g-1') AND NOT EXISTS"
                            + " (SELECT 1 FROM refresh_family f WHERE f.grant_id = g.id) AND NOT EXISTS"
                            + " (SELECT 1 FROM authorization_code c WHERE c.grant_id = g.id AND c.expires_at >= " + t + ")",
                    // the unused-client purge and the clearing of successor pairs
                    "UPDATE refresh_token SET successor_enc = NULL WHERE rotated_at < " + t + " AND successor_enc IS NOT NULL")) {
                String plan = plan(s, sql);
                assertFalse(plan.contains("Seq Scan on refresh_") || plan.contains("Seq Scan on kinde_grant"),
                        "a full scan of a large table for " + sql + ":\n" + plan);
            }
        }
        List<Long> large = new ArrayList<>();
        timeRefreshes(client, refresh, large);
        System.out.println("refresh round trip, median of " + small.size() + ": " + median(small) + " µs with the test's"
                + " own rows, " + median(large) + " µs with " + LIVE + " more live grants stored");
    }

    private static void insert(Statement s, int from, int to, long expiresAt, long now) throws Exception {
        String range = "FROM generate_series(" + from + ", " + to + ") i";
        s.executeUpdate("INSERT INTO kinde_grant (id, kinde_subject, tokens_enc, access_expires_at, created_at,"
                + " updated_at) SELECT 'scale-g-' || i, 'kp_scale', 'x', " + expiresAt + ", " + now + ", " + now + " " + range);
        s.executeUpdate("INSERT INTO refresh_family (id, client_id, grant_id, kinde_subject, identity_json, scope, resource,"
                + " created_at, absolute_expires_at) SELECT 'scale-f-' || i, 'scale-client', 'scale-g-' || i, 'kp_scale',"
                + " '{}', 'mcp:read', 'https://scale.example/mcp', " + now + ", " + expiresAt + " " + range);
        s.executeUpdate("INSERT INTO refresh_token (token_hash, family_id, created_at, idle_expires_at) SELECT"
                + " 'scale-t-' || i, 'scale-f-' || i, " + now + ", " + expiresAt + " " + range);
    }

    private static String timeRefreshes(Client client, String refresh, List<Long> micros) {
        String current = refresh;
        for (int i = 0; i < 30; i++) {
            long start = System.nanoTime();
            current = (String) ok(LoginDriver.token(LoginDriver.refreshForm(client, current))).get("refresh_token");
            micros.add((System.nanoTime() - start) / 1_000);
        }
        return current;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String plan(Statement s, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        // EXPLAIN without ANALYZE: the statements are planned, never run
        try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static int count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Map<String, Object> ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return Http.json(response);
    }
}
