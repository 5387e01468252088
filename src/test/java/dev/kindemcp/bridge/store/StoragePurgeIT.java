package dev.kindemcp.bridge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bounded storage (issue 14.5) on the database of this run: while logins, refreshes, revocations and refresh-token
 * reuse churn, every refresh token, refresh family and vault row is gone within two purge periods of its end, so
 * the row counts stay flat; unredeemed logins and expired machine grants leave no vault rows behind; a row that a
 * live family holds is never purged.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StoragePurgeIT {

    /** The purge period is the grace window (2 s) raised to its floor of 5 s. */
    static final Duration PERIOD = Duration.ofSeconds(5);
    static final Duration IDLE = Duration.ofSeconds(10);
    /** How late a purge may be: two periods (another instance or deployment may hold the current one) and slack. */
    static final Duration OVERDUE = PERIOD.multipliedBy(2).plusSeconds(2);

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.refresh-token.reuse-grace", "PT2S");
        config.put("bridge.refresh-token.idle-lifetime", "PT" + IDLE.toSeconds() + "S");
        config.put("bridge.refresh-token.absolute-lifetime", "PT20S");
        return TestDeployments.bridge(config);
    }

    /** Row counts of one client's grants at one moment, and how many of them are past due for the purge. */
    record Sample(long atMillis, int families, int tokens, int vaultRows, int overdue) {
    }

    @Test
    void purgeWhenLoginsRefreshesAndRevocationsChurnThenEndedRowsGoAndCountsStayFlat() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        Client client = LoginDriver.register("none");
        Set<String> grants = new LinkedHashSet<>();
        List<Sample> samples = new ArrayList<>();
        long start = System.currentTimeMillis();
        List<Long> logins = new ArrayList<>();
        String rotated = null;
        try (Connection db = TestDatabase.connect()) {
            for (int round = 0; System.currentTimeMillis() - start < 36_000; round++) {
                for (int kind = 0; kind < 4; kind++) {
                    String refresh = (String) ok(LoginDriver.token(LoginDriver.codeExchange(client,
                            LoginDriver.code(client, "mcp:read")))).get("refresh_token");
                    logins.add(System.currentTimeMillis());
                    switch (kind) {
                        case 0 -> refresh = refresh(client, refresh); // used, then idle
                        case 1 -> assertEquals(200, LoginDriver.post("/revoke", Map.of("token", refresh,
                                "client_id", client.clientId())).statusCode());
                        case 2 -> { // a token rotated a round ago (past the grace window) presented again: reuse
                            if (rotated != null) {
                                HttpResponse<String> reuse = LoginDriver.token(LoginDriver.refreshForm(client, rotated));
                                assertEquals(400, reuse.statusCode(), reuse.body());
                            }
                            refresh(client, refresh);
                            rotated = refresh;
                        }
                        default -> { } // left idle
                    }
                }
                grants.addAll(strings(db, "SELECT grant_id FROM refresh_family WHERE client_id = ?", client.clientId()));
                samples.add(sample(db, client, grants, start));
                Thread.sleep(Math.max(0, start + (round + 1) * 3_000L - System.currentTimeMillis()));
            }
            System.out.println("purge churn, " + logins.size() + " logins (ms since start, families, tokens, vault rows, "
                    + "overdue): " + samples);
            for (Sample sample : samples) {
                assertEquals(0, sample.overdue(), "rows outlived their end by more than " + OVERDUE + ": " + samples);
            }
            // flat: only the families of the last idle lifetime (and a late purge) are there, however long it churns
            long window = System.currentTimeMillis() - IDLE.plus(OVERDUE).toMillis();
            long recent = logins.stream().filter(at -> at >= window).count();
            Sample last = sample(db, client, grants, start);
            assertTrue(last.families() <= recent && recent < logins.size(), "families " + last.families() + " of "
                    + logins.size() + " logins, " + recent + " in the last " + IDLE.plus(OVERDUE) + ": " + samples);

            // every family ends by idling out at most IDLE after the churn; then the purge leaves nothing behind
            Instant deadline = Instant.now().plus(IDLE).plus(OVERDUE);
            Sample now = sample(db, client, grants, start);
            while (now.families() + now.tokens() + now.vaultRows() > 0) {
                assertTrue(Instant.now().isBefore(deadline), "rows left after every family ended: " + now);
                Thread.sleep(500);
                now = sample(db, client, grants, start);
            }
            assertTrue(grants.size() >= logins.size() - 1, "the families' vault rows were tracked: " + grants.size());
        }
    }

    @Test
    void purgeWhenLoginUnredeemedOrMachineTokenExpiredThenVaultRowGoesButHeldRowStays() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        Client client = LoginDriver.register("none");
        long before = System.currentTimeMillis();
        LoginDriver.code(client, "mcp:read"); // never redeemed
        String held = (String) ok(LoginDriver.token(LoginDriver.codeExchange(client,
                LoginDriver.code(client, "mcp:read")))).get("refresh_token");
        ok(LoginDriver.token(Map.of("grant_type", "client_credentials"), "Authorization",
                LoginDriver.basic(TestKinde.AGENT_ID, TestKinde.AGENT_SECRET)));
        try (Connection db = TestDatabase.connect()) {
            String family = single(db, "SELECT grant_id FROM refresh_family WHERE client_id = ?", client.clientId());
            String unredeemed = single(db, "SELECT grant_id FROM authorization_code WHERE client_id = ? AND grant_id <> ?",
                    client.clientId(), family);
            String machine = single(db, "SELECT id FROM kinde_grant WHERE kinde_subject IS NULL AND created_at >= ?"
                    + " ORDER BY created_at DESC", before);
            assertNull(single(db, "SELECT purge_after FROM kinde_grant WHERE id = ?", family), "held by its family");
            long unclaimedAfter = Long.parseLong(single(db, "SELECT purge_after FROM kinde_grant WHERE id = ?", unredeemed));
            assertTrue(unclaimedAfter >= before + Duration.ofMinutes(15).toMillis(), "waits for the code: " + unclaimedAfter);
            assertEquals(Long.parseLong(single(db, "SELECT access_expires_at FROM kinde_grant WHERE id = ?", machine))
                    + 60_000, Long.parseLong(single(db, "SELECT purge_after FROM kinde_grant WHERE id = ?", machine)),
                    "a machine's row goes a minute after its Kinde token expires");

            // their time is over (as if 15 minutes, or the Kinde token's life, had passed); the family's row is marked too
            long past = System.currentTimeMillis() - 1_000;
            update(db, "UPDATE kinde_grant SET purge_after = ? WHERE id IN (?, ?, ?)", past, unredeemed, machine, family);
            update(db, "UPDATE authorization_code SET expires_at = ? WHERE grant_id = ?", past, unredeemed);
            Instant deadline = Instant.now().plus(OVERDUE);
            while (single(db, "SELECT id FROM kinde_grant WHERE id = ?", unredeemed) != null
                    || single(db, "SELECT id FROM kinde_grant WHERE id = ?", machine) != null) {
                assertTrue(Instant.now().isBefore(deadline), "unclaimed vault rows outlived " + OVERDUE);
                Thread.sleep(250);
            }
            assertNotNull(single(db, "SELECT id FROM kinde_grant WHERE id = ?", family), "a live family holds its row");
        }
        refresh(client, held);
    }

    private static Sample sample(Connection db, Client client, Set<String> grants, long start) throws Exception {
        long overdueBefore = System.currentTimeMillis() - OVERDUE.toMillis();
        String id = client.clientId();
        int families = count(db, "SELECT COUNT(*) FROM refresh_family WHERE client_id = ?", id);
        int tokens = count(db, "SELECT COUNT(*) FROM refresh_token t JOIN refresh_family f ON t.family_id = f.id"
                + " WHERE f.client_id = ?", id);
        int vaultRows = 0;
        for (String grant : grants) {
            vaultRows += count(db, "SELECT COUNT(*) FROM kinde_grant WHERE id = ?", grant);
        }
        int overdue = count(db, "SELECT COUNT(*) FROM refresh_family WHERE client_id = ? AND (absolute_expires_at < ?"
                + " OR revoked_at < ?)", id, overdueBefore, overdueBefore)
                + count(db, "SELECT COUNT(*) FROM refresh_token t JOIN refresh_family f ON t.family_id = f.id"
                        + " WHERE f.client_id = ? AND t.idle_expires_at < ?", id, overdueBefore);
        return new Sample(System.currentTimeMillis() - start, families, tokens, vaultRows, overdue);
    }

    private static String refresh(Client client, String refreshToken) {
        return (String) ok(LoginDriver.token(LoginDriver.refreshForm(client, refreshToken))).get("refresh_token");
    }

    private static Map<String, Object> ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return Http.json(response);
    }

    private static PreparedStatement prepare(Connection db, String sql, Object... values) throws Exception {
        PreparedStatement p = db.prepareStatement(sql);
        for (int i = 0; i < values.length; i++) {
            p.setObject(i + 1, values[i]);
        }
        return p;
    }

    private static int count(Connection db, String sql, Object... values) throws Exception {
        try (PreparedStatement p = prepare(db, sql, values); ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> strings(Connection db, String sql, Object... values) throws Exception {
        List<String> all = new ArrayList<>();
        try (PreparedStatement p = prepare(db, sql, values); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                all.add(rs.getString(1));
            }
        }
        return all;
    }

    private static String single(Connection db, String sql, Object... values) throws Exception {
        List<String> all = strings(db, sql, values);
        return all.isEmpty() ? null : all.get(0);
    }

    private static void update(Connection db, String sql, Object... values) throws Exception {
        try (PreparedStatement p = prepare(db, sql, values)) {
            p.executeUpdate();
        }
    }
}
