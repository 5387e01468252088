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
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The README's "Keep /openapi private" recipe, taken from the README itself and run on a Liberty server of its
 * own (ports 9180 and 9189 instead of 9080 and 9089): Liberty's /openapi and /openapi/ui answer 404 on the public
 * port, the loopback port serves the task API's document (and not the bridge's), and the bridge, reading it
 * there, declares the task tools.
 */
class OpenApiPrivacyIT {

    static final String SERVER = "openapi-private";
    static final String PUBLIC = "http://localhost:9180";
    static final String INTERNAL = "http://127.0.0.1:9189";
    static final String ADMIN_TOKEN = "privacy-admin-token-0123456789abcdef012345";
    static LibertyServer server;

    /** The XML block of the README's "Keep /openapi private" paragraph, on this test's ports. */
    static String readmeRecipe() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String from = readme.substring(readme.indexOf("**Keep `/openapi` private.**"));
        Matcher block = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(from);
        assertTrue(block.find(), "the README's recipe");
        return block.group(1).replace("9080", "9180").replace("9089", "9189");
    }

    @BeforeAll
    static void startServer() throws Exception {
        server = LibertyServer.create(SERVER, "http.port=9180\nhttps.port=9543\n");
        Files.writeString(server.resolve("configDropins/overrides/private.xml"), "<server>\n<featureManager>"
                + "<feature>mpOpenAPI-3.1</feature></featureManager>\n" + readmeRecipe() + "</server>\n");
        Map<String, String> config = TestDeployments.baseConfig();
        config.put("bridge.issuer", PUBLIC);
        config.put("bridge.tool-api-url", PUBLIC);
        config.put("bridge.admin-token", ADMIN_TOKEN);
        config.put("bridge.openapi.documents", INTERNAL + "/openapi");
        config.put("mp.jwt.verify.publickey.location", PUBLIC + "/kinde/jwks");
        TestDeployments.bridge(config).as(ZipExporter.class)
                .exportTo(server.resolve("apps/kinde-mcp-bridge.war").toFile(), true);
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
