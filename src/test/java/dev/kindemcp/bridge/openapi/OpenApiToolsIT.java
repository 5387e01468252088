package dev.kindemcp.bridge.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.openapi.tasks.NewTask;
import dev.kindemcp.bridge.openapi.tasks.Task;
import dev.kindemcp.bridge.openapi.tasks.TaskList;
import dev.kindemcp.bridge.openapi.tasks.TasksApplication;
import dev.kindemcp.bridge.openapi.tasks.TasksResource;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.McpCalls;
import dev.kindemcp.bridge.testsupport.McpClientDriver;
import dev.kindemcp.bridge.testsupport.ServerLog;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OpenAPI-declared tools (issue 13): beside the unmodified bridge WAR, a second WAR with a task API documented by
 * MicroProfile OpenAPI annotations; the bridge reads the server's {@code /openapi} (the test servers document only
 * that WAR), a document file, and a URL that answers 404. The TypeScript MCP SDK client lists and calls the
 * declared tools; plain HTTP checks the refresh and the operator's status.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OpenApiToolsIT {

    static final String ADMIN_TOKEN = "openapi-admin-token-0123456789abcdef0123";
    static final Path EXTRA = Path.of("target", "openapi-it", "extra.yaml").toAbsolutePath();

    @Deployment(name = "bridge", order = 1)
    static WebArchive bridge() {
        writeExtra(false);
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.openapi.documents", TestDeployments.management() + "/openapi " + EXTRA.toUri() + " /missing-openapi.json");
        config.put("bridge.openapi.refresh-interval", "PT5S");
        config.put("bridge.admin-token", ADMIN_TOKEN);
        return TestDeployments.bridge(config);
    }

    @Deployment(name = "tasks", order = 2)
    static WebArchive tasks() {
        StringBuilder config = new StringBuilder("kinde.allowed-org-codes=" + KindeDemoData.ORG_ACME + "\n");
        TestDeployments.toolApiJwtConfig().forEach((k, v) -> config.append(k).append('=').append(v).append('\n'));
        return TestDeployments.onPublicPort(ShrinkWrap.create(WebArchive.class, "tasks.war")
                .addClasses(TasksApplication.class, TasksResource.class, Task.class, Task.Priority.class,
                        NewTask.class, TaskList.class)
                .addAsResource(new StringAsset(config.toString()), "META-INF/microprofile-config.properties"));
    }

    /** A document file for the task API; {@code withGet} adds a second marked operation. */
    static void writeExtra(boolean withGet) {
        String document = "openapi: 3.1.0\ninfo: {title: Tasks from a file, version: '1'}\n"
                + "servers: [{url: /tasks}]\nsecurity: [{kinde: [read:notes]}]\npaths:\n"
                + "  /api/tasks:\n    get:\n      operationId: file_list_tasks\n      summary: Tasks, from a file\n"
                + "      x-mcp-tool: true\n      responses: {'200': {description: ok}}\n"
                + "  /api/stats:\n    get:\n      operationId: file_admin_stats\n      x-mcp-tool: {scope: mcp:admin}\n"
                + "      responses: {'200': {description: ok}}\n"
                + (withGet ? "  /api/tasks/{id}:\n    get:\n      operationId: file_get_task\n      x-mcp-tool: true\n"
                        + "      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n"
                        + "      responses: {'200': {description: ok}}\n" : "");
        try {
            Files.createDirectories(EXTRA.getParent());
            Files.writeString(EXTRA, document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> e2eEnvironment(String userId) {
        return Map.of("TASKS_API", TestDeployments.issuer() + "/tasks/api", "KINDE_USER_ID", userId);
    }

    /** The marked operations become tools with their schemas, and calls carry the user's Kinde token. */
    @Test
    void userWhenTypeScriptSdkThenDeclaredToolsListedCalledSteppedUpAndBadArgumentsNeverSent() throws Exception {
        McpClientDriver.assumeInstalled();
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        reload();
        McpClientDriver.assertSteps(McpClientDriver.run("openapi", e2eEnvironment(KindeDemoData.ALICE_ID)),
                "the marked operations are listed, the unmarked one is not",
                "list_tasks has its parameters, enum and read-only hint",
                "create_task takes the JSON body by its schema and promises a Task",
                "get_task takes the path parameter and promises a Task",
                "the write operation asked for a step-up to mcp:write",
                "created a task through its OpenAPI operation",
                "the API received the user's Kinde token (its sub and org_code)",
                "the new task is listed",
                "read the task by its id",
                "bad arguments are tool errors",
                "no request reached the API for the bad arguments",
                "an API error names the status and the API's message");
    }

    /** Bob lacks write:notes: the write operation is hidden, and calling it is a tool error. */
    @Test
    void userWhenKindePermissionMissingThenDeclaredToolHiddenAndRefused() throws Exception {
        McpClientDriver.assumeInstalled();
        TestKinde.reset(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        reload();
        McpClientDriver.assertSteps(McpClientDriver.run("openapi-permission", e2eEnvironment(KindeDemoData.BOB_ID)),
                "an operation whose Kinde permission the user lacks is not listed",
                "calling it is a tool error naming the permission, and nothing reaches the API");
    }

    /** An edited document changes the tool list: the next tools/list (the endpoint is stateless) shows it. */
    @Test
    void documentWhenChangedThenTheNextToolListShowsIt() throws Exception {
        writeExtra(false);
        reload();
        String token = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        String session = initialize(token);
        assertTrue(toolNames(token, session).contains("file_list_tasks"));
        assertFalse(toolNames(token, session).contains("file_get_task"));
        try {
            writeExtra(true);
            Map<String, Object> status = reload();
            assertEquals(List.of("file_list_tasks", "file_get_task"), document(status, EXTRA.toUri().toString()).get("tools"));
            assertTrue(toolNames(token, session).contains("file_get_task"));
            Map<String, Object> call = call(token, session, "file_get_task", "{\"id\":\"nope\"}");
            assertEquals(true, call.get("isError"), call.toString());
            assertTrue(call.toString().contains("answered 404"), call.toString());
        } finally {
            writeExtra(false);
            reload();
        }
        assertFalse(toolNames(token, session).contains("file_get_task"), "removed again");
    }

    /** A document that cannot be read leaves the other tools served; the operator sees why, and the log says it. */
    @Test
    void documentWhenUnreadableThenOtherToolsServedAndStatusAndLogSayWhy() throws Exception {
        ServerLog log = ServerLog.mark();
        Map<String, Object> status = reload();
        Map<String, Object> missing = document(status, TestDeployments.issuer() + "/missing-openapi.json");
        assertEquals("failed", missing.get("state"));
        assertEquals("answered HTTP 404", missing.get("error"));
        Map<String, Object> served = document(status, TestDeployments.management() + "/openapi");
        assertEquals("read", served.get("state"));
        assertEquals(List.of("list_tasks", "create_task", "get_task"), served.get("tools"));
        assertEquals(List.of("operation GET /api/stats (file_admin_stats) is not a tool: it needs scope mcp:admin, "
                + "which is not in bridge.scopes [mcp:read, mcp:write]"),
                document(status, EXTRA.toUri().toString()).get("problems"));
        String token = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        String session = initialize(token);
        assertTrue(toolNames(token, session).containsAll(List.of("list_tasks", "get_task", "file_list_tasks", "whoami")));
        assertFalse(toolNames(token, session).contains("delete_task"), "not marked");
        HttpResponse<String> anonymous = Http.send(HttpRequest.newBuilder(URI.create(TestDeployments.issuer()
                + "/admin/openapi")).GET());
        assertEquals(401, anonymous.statusCode());
        Http.send(HttpRequest.newBuilder(URI.create(TestDeployments.issuer() + "/admin/openapi")).GET(),
                "Authorization", "Bearer " + ADMIN_TOKEN);
        String lines = log.sinceMark();
        assertFalse(lines.contains("Exception"), lines);
        ServerLog.mark(); // the failure was logged once, when first seen; the next reads repeat nothing
        assertTrue(Files.readString(Path.of(System.getProperty("bridge.it.wlp", "target/liberty/wlp"), "usr",
                "servers", System.getProperty("bridge.it.server", "bridge-it"), "logs", "messages.log"))
                .contains("OpenAPI document " + TestDeployments.issuer() + "/missing-openapi.json answered HTTP 404; it "
                        + "declares no tools until it can be read (the other tools are served)"));
    }

    static Map<String, Object> reload() {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(TestDeployments.issuer()
                + "/admin/openapi/reload")).POST(HttpRequest.BodyPublishers.noBody()), "Authorization",
                "Bearer " + ADMIN_TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        return Http.json(response);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> document(Map<String, Object> status, String source) {
        return ((List<Map<String, Object>>) status.get("documents")).stream()
                .filter(d -> source.equals(d.get("source"))).findFirst()
                .orElseThrow(() -> new AssertionError("no document " + source + " in " + status));
    }

    static String initialize(String token) {
        HttpResponse<String> init = McpCalls.post(TestDeployments.issuer(), token, null, "{\"jsonrpc\":\"2.0\",\"id\":1,"
                + "\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + McpCalls.VERSION + "\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
        assertEquals(200, init.statusCode(), init.body());
        String session = init.headers().firstValue("Mcp-Session-Id").orElse(null); // stateless: none
        assertEquals(202, McpCalls.post(TestDeployments.issuer(), token, session,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode());
        return session;
    }

    @SuppressWarnings("unchecked")
    static List<String> toolNames(String token, String session) {
        HttpResponse<String> list = McpCalls.post(TestDeployments.issuer(), token, session,
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}");
        assertEquals(200, list.statusCode(), list.body());
        return ((List<Map<String, Object>>) McpCalls.JsonRpc.member(Http.jsonRpc(list), "result").get("tools"))
                .stream().map(t -> (String) t.get("name")).toList();
    }

    static Map<String, Object> call(String token, String session, String tool, String arguments) {
        HttpResponse<String> call = McpCalls.post(TestDeployments.issuer(), token, session, "{\"jsonrpc\":\"2.0\","
                + "\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments
                + "}}");
        assertEquals(200, call.statusCode(), call.body());
        return McpCalls.JsonRpc.member(Http.jsonRpc(call), "result");
    }

}
