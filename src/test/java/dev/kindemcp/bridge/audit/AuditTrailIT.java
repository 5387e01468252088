package dev.kindemcp.bridge.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.McpCalls;
import dev.kindemcp.bridge.testsupport.ServerLog;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit trail (issue 15.3) and the log secret scan (OPS-02) on a real Liberty: a registration, a login with
 * consent, the code and refresh grants, a tool call, a revocation and admin calls each leave one JSON event with
 * actor, client, organisation and source; and no token, code, secret or key appears in any log file of the server.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuditTrailIT {

    static final String ADMIN_TOKEN = "admin-token-for-the-audit-tests-0123456789";

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.admin-token", ADMIN_TOKEN);
        config.put("bridge.refresh-token.reuse-grace", "PT0S"); // a second use of a refresh token is reuse at once
        TestKinde.get();
        return TestDeployments.bridge(config);
    }

    static List<Map<String, Object>> events(String log) throws Exception {
        List<Map<String, Object>> events = new ArrayList<>();
        for (String line : log.lines().toList()) {
            int at = line.indexOf("{\"audit\":\"kinde-mcp-bridge\"");
            if (at >= 0) {
                events.add(JSONObjectUtils.parse(line.substring(at)));
            }
        }
        return events;
    }

    static Map<String, Object> find(List<Map<String, Object>> events, String event, String outcome) {
        return events.stream().filter(e -> event.equals(e.get("event")) && outcome.equals(e.get("outcome")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + event + "/" + outcome + " in " + events));
    }

    @Test
    void auditWhenLoginRefreshToolCallRevocationAndAdminThenOneEventEachAndNoSecretInAnyLog() throws Exception {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        ServerLog mark = ServerLog.mark();
        LoginDriver.Client client = LoginDriver.register("none");
        String code = LoginDriver.code(client, "mcp:read");
        Map<String, Object> tokens = Http.json(LoginDriver.token(LoginDriver.codeExchange(client, code)));
        String access = (String) tokens.get("access_token");
        String refresh = (String) tokens.get("refresh_token");
        Map<String, Object> renewed = Http.json(LoginDriver.token(LoginDriver.refreshForm(client, refresh)));
        McpCalls.whoami(TestDeployments.issuer(), (String) renewed.get("access_token"));
        HttpResponse<String> reused = LoginDriver.token(LoginDriver.refreshForm(client, refresh));
        assertEquals(400, reused.statusCode(), reused.body());
        assertEquals(200, LoginDriver.post("/revoke", Map.of("token", (String) renewed.get("refresh_token"),
                "client_id", client.clientId())).statusCode());
        URI keys = URI.create(TestDeployments.issuer() + "/admin/keys");
        assertEquals(200, Http.send(HttpRequest.newBuilder(keys).GET(), "Authorization", "Bearer " + ADMIN_TOKEN)
                .statusCode());
        assertEquals(401, Http.send(HttpRequest.newBuilder(keys).GET(), "Authorization", "Bearer not-the-admin-token")
                .statusCode());

        List<Map<String, Object>> events = events(mark.sinceMark());
        System.out.println("audit events:\n  " + String.join("\n  ", events.stream().map(Object::toString).toList()));
        Map<String, Object> registered = find(events, "client_registered", "success");
        assertEquals(client.clientId(), registered.get("client"));
        assertEquals(client.clientId(), find(events, "consent", "approved").get("client"));
        Map<String, Object> login = find(events, "login", "success");
        assertEquals(KindeDemoData.ALICE_ID, login.get("actor"));
        assertEquals(KindeDemoData.ORG_ACME, login.get("org"));
        List<String> grants = events.stream().filter(e -> "token_issued".equals(e.get("event")))
                .map(e -> (String) e.get("grant_type")).toList();
        assertEquals(List.of("authorization_code", "refresh_token"), grants, events.toString());
        assertEquals(KindeDemoData.ALICE_ID, find(events, "token_issued", "success").get("actor"));
        assertEquals(client.clientId(), find(events, "refresh_reuse_detected", "family_revoked").get("client"));
        find(events, "token_refused", "invalid_grant");
        assertEquals("operator", find(events, "admin", "authorized").get("actor"));
        find(events, "admin", "refused");
        for (Map<String, Object> event : events) {
            assertTrue(event.containsKey("time") && event.containsKey("source"), "time and source: " + event);
        }

        // OPS-02: nothing secret in any log file of the server
        List<String> secrets = List.of(access, refresh, (String) renewed.get("access_token"),
                (String) renewed.get("refresh_token"), code, TestDeployments.TEST_MASTER_KEY, ADMIN_TOKEN);
        Path logs = mark.file().getParent();
        try (var files = Files.walk(logs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), file + " holds a secret (" + secret.length() + " chars)");
                }
            }
        }
    }
}
