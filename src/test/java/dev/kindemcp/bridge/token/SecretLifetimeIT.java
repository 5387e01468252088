package dev.kindemcp.bridge.token;

import static dev.kindemcp.bridge.testsupport.LoginDriver.codeExchange;
import static dev.kindemcp.bridge.testsupport.LoginDriver.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.oauth.Secrets;
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
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Secrets live only as long as needed, and clients as long as they are used (R-TK-8, issue 12.6), on the
 * database of this run: the encrypted successor pair goes once the grace window has passed, refreshing counts as
 * use, and the unused-client purge spares a client whose refresh families are alive.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SecretLifetimeIT {

    /** The purge runs once per grace window, at least every 5 seconds. */
    static final Duration PURGE_WAIT = Duration.ofSeconds(30);

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.refresh-token.reuse-grace", "PT2S");
        return TestDeployments.bridge(config);
    }

    Client client;

    @BeforeEach
    void setUp() {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        client = LoginDriver.register("none");
    }

    private Map<String, Object> login() {
        HttpResponse<String> r = token(codeExchange(client, LoginDriver.code(client, "mcp:read")));
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r);
    }

    private Map<String, Object> refresh(String refreshToken) {
        HttpResponse<String> r = token(LoginDriver.refreshForm(client, refreshToken));
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r);
    }

    @Test
    void refreshWhenGraceWindowPassedThenSuccessorPairCleared() throws Exception {
        String first = (String) login().get("refresh_token");
        refresh(first);
        String sql = "SELECT successor_enc FROM refresh_token WHERE token_hash = ?";
        try (Connection db = TestDatabase.connect()) {
            assertNotNull(string(db, sql, Secrets.hash(first)), "kept for retries within the window");
            Instant deadline = Instant.now().plus(PURGE_WAIT);
            while (string(db, sql, Secrets.hash(first)) != null) {
                assertTrue(Instant.now().isBefore(deadline), "the successor pair outlived its window by " + PURGE_WAIT);
                Thread.sleep(250);
            }
        }
        HttpResponse<String> late = token(LoginDriver.refreshForm(client, first));
        assertEquals(400, late.statusCode(), late.body());
        assertEquals("invalid_grant", Http.json(late).get("error"));
    }

    @Test
    void purgeWhenUnusedLifetimeOverButFamilyAliveThenClientKeptAndRefreshRenewsIt() throws Exception {
        String refreshToken = (String) login().get("refresh_token");
        Client idle = LoginDriver.register("none");
        long past = Instant.now().minus(Duration.ofMinutes(1)).toEpochMilli();
        try (Connection db = TestDatabase.connect()) {
            for (String id : new String[] {client.clientId(), idle.clientId()}) {
                try (PreparedStatement p = db.prepareStatement(
                        "UPDATE oauth_client SET last_used_at = 0, expires_at = ? WHERE client_id = ?")) {
                    p.setLong(1, past);
                    p.setString(2, id);
                    assertEquals(1, p.executeUpdate());
                }
            }
            Instant deadline = Instant.now().plus(PURGE_WAIT);
            while (string(db, "SELECT client_id FROM oauth_client WHERE client_id = ?", idle.clientId()) != null) {
                assertTrue(Instant.now().isBefore(deadline), "the purge did not run within " + PURGE_WAIT);
                Thread.sleep(250);
            }
            assertEquals(client.clientId(), string(db, "SELECT client_id FROM oauth_client WHERE client_id = ?",
                    client.clientId()), "a client with a live refresh family is in use");

            long before = System.currentTimeMillis();
            refresh(refreshToken);
            String lastUsed = string(db, "SELECT last_used_at FROM oauth_client WHERE client_id = ?", client.clientId());
            assertTrue(Long.parseLong(lastUsed) >= before - 1000, "refreshing is use: last_used_at " + lastUsed);
        }
    }

    private static String string(Connection db, String sql, String value) throws Exception {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setString(1, value);
            ResultSet rs = p.executeQuery();
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
