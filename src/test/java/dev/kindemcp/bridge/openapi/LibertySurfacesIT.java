package dev.kindemcp.bridge.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.openapi.tasks.NewTask;
import dev.kindemcp.bridge.openapi.tasks.Task;
import dev.kindemcp.bridge.openapi.tasks.TaskList;
import dev.kindemcp.bridge.openapi.tasks.TasksApplication;
import dev.kindemcp.bridge.openapi.tasks.TasksResource;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LibertyServer;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Liberty's own surfaces stay off the public port (OPS-01, issue 15.6), on a Liberty server of its own made from
 * the shipped liberty/server.xml (ports 9180 and 9189 instead of 9080 and 9089) plus the README's "Keep /openapi
 * private" recipe, taken from the README itself: every known path of Liberty's features answers 404 on the public
 * port whatever the Host header says, while the management port serves them; the public port serves the bridge
 * behind a proxy's Host header; the management port serves the task API's document (and not the bridge's), and
 * the bridge, reading it there, declares the task tools.
 */
class LibertySurfacesIT {

    static final String SERVER = "liberty-surfaces";
    static final String PUBLIC = "http://localhost:9180";
    static final String INTERNAL = "http://localhost:9189";
    /**
     * Paths that Liberty itself serves when a feature is on: the JWT feature (under mpJwt), MicroProfile Health,
     * OpenAPI and Metrics, the REST connector (JMX), the admin centre and the API explorer.
     */
    static final List<String> LIBERTY_PATHS = List.of("/jwt/ibm/api/defaultJWT/jwk",
            "/jwt/ibm/api/defaultJWT/token", "/health", "/health/ready", "/health/live", "/health/started",
            "/openapi", "/openapi/ui/", "/metrics", "/IBMJMXConnectorREST", "/ibm/api/", "/ibm/api/explorer",
            "/ibm/adminCenter/", "/adminCenter/", "/ibm/api/config", "/ibm/api/validation");
    static final String ADMIN_TOKEN = "privacy-admin-token-0123456789abcdef012345";
    static LibertyServer server;

    /** The XML block of the README's "Keep /openapi private" paragraph, on this test's ports. */
    static String readmeRecipe() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String from = readme.substring(readme.indexOf("**Keep `/openapi` private.**"));
        Matcher block = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(from);
        assertTrue(block.find(), "the README's recipe");
        return block.group(1).replace("9089", "9189");
    }

    @BeforeAll
    static void startServer() throws Exception {
        server = LibertyServer.create(SERVER, "http.port=9180\nhttps.port=9543\nbridge.management.port=9189\n");
        Files.writeString(server.resolve("configDropins/overrides/private.xml"), "<server>\n<featureManager>"
                + "<feature>mpOpenAPI-4.1</feature></featureManager>\n" + readmeRecipe() + "</server>\n");
        Map<String, String> config = TestDeployments.baseConfig();
        config.put("bridge.issuer", PUBLIC);
        config.put("bridge.tool-api-url", PUBLIC);
        config.put("bridge.admin-token", ADMIN_TOKEN);
        config.put("bridge.openapi.documents", INTERNAL + "/openapi");
        config.put("mp.jwt.verify.publickey.location", PUBLIC + "/kinde/jwks");
        TestDeployments.bridge(config).as(ZipExporter.class)
                .exportTo(server.resolve("dropins/kinde-mcp-bridge.war").toFile(), true);
        ShrinkWrap.create(WebArchive.class, "tasks.war")
                .addClasses(TasksApplication.class, TasksResource.class, Task.class, Task.Priority.class,
                        NewTask.class, TaskList.class)
                .addAsResource(new StringAsset(""), "META-INF/microprofile-config.properties")
                .as(ZipExporter.class).exportTo(server.resolve("apps/tasks.war").toFile(), true);
        server.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end
                && !(server.log().contains("CWWKF0011I") && server.log().split("CWWKZ0001I", -1).length > 2)) {
            Thread.sleep(500);
        }
        assertTrue(server.log().contains("CWWKF0011I"), "the server did not start:\n" + server.log());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void libertyPathsWhenAskedOnThePublicPortThenNotFoundAndOnTheManagementPortServed() throws Exception {
        for (String host : new String[] {null, "localhost:9189", "mcp.example.com", "127.0.0.1:9089"}) {
            for (String path : LIBERTY_PATHS) {
                String[] response = get(9180, path, host == null ? "localhost:9180" : host);
                assertEquals("404", response[0], "public " + path + " with Host " + host + ": " + response[1]);
                assertFalse(response[1].contains("\"keys\"") || response[1].contains("\"checks\"")
                        || response[1].contains("openapi:"), path + " leaked: " + response[1]);
            }
        }
        assertEquals(200, Http.get(INTERNAL + "/jwt/ibm/api/defaultJWT/jwk").statusCode(),
                "the probe would see the JWT feature's key set: it is served, on the management port");
        assertTrue(Http.get(INTERNAL + "/health/ready").body().contains("\"checks\""));
        assertEquals(404, Http.get(INTERNAL + "/.well-known/oauth-authorization-server").statusCode(),
                "the bridge is not on the management port");
    }

    /** A proxy forwards the public host name, without a port or with 443: the bridge answers all the same. */
    @Test
    void bridgeWhenHostHeaderIsTheProxysThenServed() throws Exception {
        for (String host : new String[] {"mcp.example.com", "mcp.example.com:443", "mcp.example.com:80",
                "localhost:9180"}) {
            String[] metadata = get(9180, "/.well-known/oauth-authorization-server", host);
            assertEquals("200", metadata[0], host + ": " + metadata[1]);
            assertTrue(metadata[1].contains("\"issuer\":\"" + PUBLIC.replace("/", "\\/") + "\""), metadata[1]);
        }
    }

    /**
     * Status and body of a GET with this Host header, sent over a plain socket: the JDK's HTTP client does not
     * let a caller set Host.
     */
    static String[] get(int port, String path, String host) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int bodyAt = response.indexOf("\r\n\r\n");
            return new String[] {response.substring(9, 12), bodyAt < 0 ? "" : response.substring(bodyAt + 4)};
        }
    }

    @Test
    void recipeWhenAppliedThenOpenApiOnlyOnTheLoopbackPortAndTheBridgeReadsItThere() throws Exception {
        assertEquals(404, Http.get(PUBLIC + "/openapi").statusCode());
        assertEquals(404, Http.get(PUBLIC + "/openapi/ui/").statusCode());
        HttpResponse<String> document = Http.get(INTERNAL + "/openapi");
        assertEquals(200, document.statusCode());
        assertTrue(document.body().contains("operationId: list_tasks"), document.body());
        assertFalse(document.body().contains("/register"), "the bridge itself is not documented");
        assertEquals(200, Http.get(PUBLIC + "/tasks/api/stats").statusCode(), "the API on the public port");
        assertEquals(404, Http.get(INTERNAL + "/tasks/api/stats").statusCode(), "and not on the loopback one");

        Map<String, Object> status = Map.of();
        for (long end = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < end; ) {
            HttpResponse<String> reload = Http.send(HttpRequest.newBuilder(URI.create(PUBLIC + "/admin/openapi/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody()), "Authorization", "Bearer " + ADMIN_TOKEN);
            status = Http.json(reload);
            if (status.toString().contains("get_task")) {
                break;
            }
            Thread.sleep(1000);
        }
        assertTrue(status.toString().contains("tools=[list_tasks, create_task, get_task]"), status.toString());
        assertFalse(server.log().contains("CWWKO1650E"), "the task API's document is valid OpenAPI");
    }
}
