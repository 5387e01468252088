package dev.kindemcp.bridge.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** The operator's admin API of the test deployment: provisioned clients. */
public final class AdminApi {

    private AdminApi() {
    }

    public static String clients() {
        return TestDeployments.issuer() + "/admin/clients";
    }

    /** POST /admin/clients with {@code body}, authorized by {@code adminToken}; the answer as it came. */
    public static HttpResponse<String> create(String body, String adminToken) {
        return Http.send(HttpRequest.newBuilder(URI.create(clients())).POST(HttpRequest.BodyPublishers.ofString(body)),
                "Content-Type", "application/json", "Authorization", "Bearer " + adminToken);
    }

    /** A provisioned client (201 asserted): its registration with {@code client_id} and {@code client_secret}. */
    public static Map<String, Object> provision(String body, String adminToken) {
        HttpResponse<String> created = create(body, adminToken);
        assertEquals(201, created.statusCode(), created.body());
        return Http.json(created);
    }

    /** The Basic authorization header of a provisioned client. */
    public static String basic(Map<String, Object> provisioned) {
        return LoginDriver.basic((String) provisioned.get("client_id"), (String) provisioned.get("client_secret"));
    }
}
