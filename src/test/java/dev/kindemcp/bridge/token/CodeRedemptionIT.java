package dev.kindemcp.bridge.token;

import static dev.kindemcp.bridge.testsupport.LoginDriver.codeExchange;
import static dev.kindemcp.bridge.testsupport.LoginDriver.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.LoginDriver.Client;
import dev.kindemcp.bridge.testsupport.Parallel;
import dev.kindemcp.bridge.testsupport.TestDatabase;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redeeming a code is one transaction (security catalogue DB-04, CON-01, R-TK-1), on the database of this run:
 * a failure between claiming the code and starting its refresh family leaves the code usable, and a replay
 * racing the redemption always ends the winner's family.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CodeRedemptionIT {

    /** Races run one after another (issue 12.2). */
    static final int RACES = 200;

    @Deployment
    static WebArchive deployment() {
        return TestDeployments.bridge(TestDeployments.unthrottledConfig());
    }

    Client client;

    @BeforeEach
    void setUp() {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        client = LoginDriver.register("none");
    }

    /**
     * DB-04: the family insert fails (a check constraint injected for this client only): 503, nothing used up, no
     * family row; once the fault is gone the same code yields tokens once.
     */
    @Test
    void exchangeWhenFamilyCannotBeStoredThen503AndCodeStillUsableOnce() throws Exception {
        String code = LoginDriver.code(client, "mcp:read");
        HttpResponse<String> failed;
        try (Connection db = TestDatabase.connect(); Statement s = db.createStatement()) {
            s.execute("ALTER TABLE refresh_family ADD CONSTRAINT injected_fault CHECK (client_id <> '"
                    + client.clientId() + "')");
            try {
                failed = token(codeExchange(client, code));
            } finally {
                s.execute("ALTER TABLE refresh_family DROP CONSTRAINT injected_fault");
            }
            assertEquals(503, failed.statusCode(), failed.body());
            assertEquals("temporarily_unavailable", Http.json(failed).get("error"));
            assertTrue(failed.headers().firstValue("Retry-After").isPresent());
            assertEquals(0, count(db, "SELECT COUNT(*) FROM refresh_family WHERE client_id = ?", client.clientId()));
            assertEquals(1, count(db, "SELECT COUNT(*) FROM authorization_code WHERE client_id = ? "
                    + "AND consumed_at IS NULL", client.clientId()), "the code is not spent");
        }
        HttpResponse<String> retried = token(codeExchange(client, code));
        assertEquals(200, retried.statusCode(), retried.body());
        HttpResponse<String> again = token(codeExchange(client, code));
        assertEquals(400, again.statusCode());
        assertEquals("invalid_grant", Http.json(again).get("error"));
    }

    /**
     * CON-01, R-TK-1: the same code exchanged by two requests at once, {@value #RACES} times: every time exactly one
     * wins, and the loser's replay revokes the winner's refresh family, however the two interleave.
     */
    @Test
    void exchangeWhenTwoRequestsRaceThenOneWinsAndItsFamilyIsAlwaysRevoked() throws Exception {
        for (int race = 0; race < RACES; race++) {
            String code = LoginDriver.code(client, "mcp:read");
            List<HttpResponse<String>> results = Parallel.run(2, () -> token(codeExchange(client, code)));
            List<HttpResponse<String>> wins = results.stream().filter(r -> r.statusCode() == 200).toList();
            assertEquals(1, wins.size(), "race " + race + ": " + results.stream().map(HttpResponse::body).toList());
            HttpResponse<String> loser = results.stream().filter(r -> r.statusCode() != 200).findFirst().orElseThrow();
            assertEquals(400, loser.statusCode(), "race " + race);
            HttpResponse<String> afterRace = token(LoginDriver.refreshForm(client,
                    (String) Http.json(wins.get(0)).get("refresh_token")));
            assertEquals(400, afterRace.statusCode(), "race " + race + ": the winner's family survived the replay");
            assertEquals("invalid_grant", Http.json(afterRace).get("error"));
        }
    }

    private static long count(Connection db, String sql, String value) throws Exception {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setString(1, value);
            ResultSet rs = p.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }
}
