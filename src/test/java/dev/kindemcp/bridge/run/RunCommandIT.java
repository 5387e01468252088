package dev.kindemcp.bridge.run;

import static dev.kindemcp.bridge.run.RunCommand.BRIDGE;
import static dev.kindemcp.bridge.run.RunCommand.DEV_KINDE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.testsupport.BrowserSession;
import dev.kindemcp.bridge.testsupport.HeadlessChromium;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.McpCalls;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The README's run command, {@code mvn -Prun}, started as a user would on the built project: it serves the
 * metadata within a minute on loopback only, lets environment variables override the packaged defaults, and the
 * README's demo works as written: the login by hand in a real headless Chromium (by {@code localhost} and by
 * {@code 127.0.0.1}), the code redeemed and refreshed, the machine path, and MCP calls. When the command is
 * stopped like Ctrl-C, neither its output nor the server's log has a single error line.
 */
class RunCommandIT {

    static final Duration BUDGET = Duration.ofSeconds(60);
    static final Path LOG = Path.of("target", "run-command.log");
    static final Path README = Path.of("README.md");
    /** The PKCE verifier the README's authorize URL belongs to (RFC 7636 Appendix B). */
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CALLBACK = "http://127.0.0.1:8765/callback";

    static RunCommand run;
    static Duration startup;
    /** The README's client: its loopback listener on 127.0.0.1:8765, as a desktop MCP client runs one. */
    static com.sun.net.httpserver.HttpServer client;
    static final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startRunCommand() throws Exception {
        run = RunCommand.start(LOG, Map.of("BRIDGE_SCOPES", "mcp:read mcp:write notes:admin"));
        startup = run.awaitMetadata(BUDGET.multipliedBy(3));
        System.out.println("=== run command: metadata served " + startup.toMillis() + " ms after mvn -Prun started");
    }

    @AfterAll
    static void stopRunCommandThenNoErrorLines() throws Exception {
        if (client != null) {
            client.stop(0);
        }
        if (run == null) {
            return;
        }
        run.stop();
        List<String> errors = run.errorLines();
        assertEquals(List.of(), errors, "error lines over a start, logins, a machine login, tool calls and a stop");
    }

    @Test
    void runWhenStartedThenMetadataServedWithinAMinute() {
        assertTrue(startup.compareTo(BUDGET) <= 0, "metadata after " + startup.toSeconds() + " s");
        Map<String, Object> md = Http.json(Http.get(BRIDGE + "/.well-known/oauth-authorization-server"));
        assertEquals(BRIDGE, md.get("issuer"));
        Map<String, Object> prm = Http.json(Http.get(BRIDGE + "/.well-known/oauth-protected-resource/mcp"));
        assertEquals(BRIDGE + "/mcp", prm.get("resource"));
        assertEquals(List.of(BRIDGE), prm.get("authorization_servers"));
        assertEquals(200, Http.get(BRIDGE + "/.well-known/jwks.json").statusCode());
    }

    @Test
    void runWhenEnvironmentVariableSetThenItOverridesThePackagedDefault() {
        Map<String, Object> md = Http.json(Http.get(BRIDGE + "/.well-known/oauth-authorization-server"));
        assertEquals(List.of("mcp:read", "mcp:write", "notes:admin"), md.get("scopes_supported"));
    }

    /** Development mode has a public master key: the server must not be reachable from other machines. */
    @Test
    void runWhenStartedThenListensOnLoopbackOnly() throws SocketException {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(nic -> {
                    try {
                        return nic.isUp() && !nic.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                .filter(address -> address instanceof Inet4Address).findFirst();
        Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");
        assertTrue(RunCommand.listening("127.0.0.1", 9080), "reachable on loopback");
        assertFalse(RunCommand.listening(external.get().getHostAddress(), 9080),
                "the bridge must not listen on " + external.get().getHostAddress());
        assertFalse(RunCommand.listening(external.get().getHostAddress(), 9443), "nor its https port");
        assertFalse(RunCommand.listening(external.get().getHostAddress(), 9091), "nor the identity provider");
        String log = output();
        assertTrue(log.contains("http://localhost:9080/"), "the start-up log names the address that works");
        assertFalse(log.contains("(default_host): http://" + external.get().getHostAddress()), log);
    }

    @Test
    void runWhenKindeDomainUnsetThenLocalProviderStartedLoudlyAndLoginPageReachable() throws Exception {
        assertTrue(output().toLowerCase(Locale.ROOT).contains("development identity provider"),
                "loud banner of the local provider");
        Map<String, Object> discovery = Http.json(Http.get(DEV_KINDE + "/.well-known/openid-configuration"));
        assertEquals(DEV_KINDE, discovery.get("issuer"));
        String authorize = DEV_KINDE + "/oauth2/auth?response_type=code&client_id=dev-bridge"
                + "&redirect_uri=" + URLEncoder.encode(BRIDGE + "/kinde/callback", StandardCharsets.UTF_8)
                + "&scope=openid%20profile%20email%20offline&state=s1&nonce=n1"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        HttpResponse<String> page = Http.get(authorize);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<form"), page.body());
        assertTrue(page.body().contains("org_"), "the login form lists demo organisations");
    }

    /** The README's login by hand, in Chromium, exactly as written; then its token and refresh commands. */
    @Test
    void readmeLoginWhenClickedThroughInChromiumThenCodeTokensAndRefresh() throws Exception {
        String clientId = register();
        Map<String, Object> tokens = redeem(clientId, loginInChromium(readmeAuthorizeUrl(clientId), "readme-login"));
        assertNotNull(tokens.get("access_token"), tokens.toString());
        assertEquals("Bearer", tokens.get("token_type"));
        assertEquals("mcp:read", tokens.get("scope"));
        String refreshToken = (String) tokens.get("refresh_token");
        assertNotNull(refreshToken, "the README's client registers refresh_token: " + tokens);
        HttpResponse<String> refreshed = form(BRIDGE + "/token", "grant_type=refresh_token&client_id="
                + enc(clientId) + "&refresh_token=" + enc(refreshToken));
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        assertNotNull(Http.json(refreshed).get("access_token"));
        Map<String, Object> whoami = McpCalls.whoami(BRIDGE, (String) tokens.get("access_token"));
        assertEquals("org_acme", whoami.get("org_code"), whoami.toString());
    }

    /** The same login opened on 127.0.0.1: the bridge moves the browser to its own host name first. */
    @Test
    void readmeLoginWhenOpenedOn127001ThenItCompletesToo() throws Exception {
        String url = readmeAuthorizeUrl(register()).replace("http://localhost:9080/", "http://127.0.0.1:9080/");
        assertTrue(url.startsWith("http://127.0.0.1:9080/authorize?"), url);
        Map<String, String> callback = loginInChromium(url, "login-127");
        assertNotNull(callback.get("code"), callback.toString());
        assertEquals(BRIDGE, callback.get("iss"));
    }

    /** The README's machine path: the demo M2M app at the bridge, then MCP calls with the machine token. */
    @Test
    void readmeMachinePathWhenDemoAgentThenMachineTokenAndToolCall() {
        HttpResponse<String> token = form(BRIDGE + "/token", "grant_type=client_credentials&resource="
                + enc(BRIDGE + "/mcp"), "Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "demo-m2m-agent:demo-m2m-agent-secret".getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, token.statusCode(), token.body());
        Map<String, Object> whoami = McpCalls.whoami(BRIDGE, (String) Http.json(token).get("access_token"));
        assertEquals("org_acme", whoami.get("org_code"), whoami.toString());
        HttpResponse<String> wrong = form(BRIDGE + "/token", "grant_type=client_credentials", "Authorization",
                "Basic " + Base64.getEncoder().encodeToString("demo-m2m-agent:wrong".getBytes(StandardCharsets.UTF_8)));
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
                "a failed Basic attempt is answered with a Basic challenge: " + wrong.headers().map());
    }

    /**
     * The README's "Expose your APIs" demo: the notes API is offered both ways, by code ({@code list_notes}) and by
     * its OpenAPI document ({@code api_list_notes}), which the bridge reads shortly after the server started.
     */
    @Test
    void readmeDeclaredToolsWhenDemoThenNotesApiOfferedByCodeAndByOpenApi() throws Exception {
        HttpResponse<String> token = form(BRIDGE + "/token", "grant_type=client_credentials&resource="
                + enc(BRIDGE + "/mcp"), "Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "demo-m2m-agent:demo-m2m-agent-secret".getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, token.statusCode(), token.body());
        String accessToken = (String) Http.json(token).get("access_token");
        List<String> tools = McpCalls.toolNames(BRIDGE, accessToken);
        for (long end = System.nanoTime() + Duration.ofSeconds(40).toNanos(); !tools.contains("api_list_notes")
                && System.nanoTime() < end; tools = McpCalls.toolNames(BRIDGE, accessToken)) {
            Thread.sleep(500);
        }
        assertTrue(tools.containsAll(List.of("list_notes", "api_list_notes")), tools.toString());
        assertFalse(tools.contains("api_add_note"), "users only, like add_note: " + tools);
        Map<String, Object> declared = McpCalls.call(BRIDGE, accessToken, "api_list_notes");
        Map<String, Object> notes = McpCalls.JsonRpc.member(declared, "structuredContent");
        assertEquals("org_acme", notes.get("org_code"), declared.toString());
        assertTrue(notes.get("notes") instanceof List<?>, declared.toString());
    }

    /** The sample tool API answers a Kinde M2M token of the local provider's demo agent, and only such tokens. */
    @Test
    void runWhenDemoAgentTokenThenSampleToolApiServesNotes() {
        HttpResponse<String> token = form(DEV_KINDE + "/oauth2/token", "grant_type=client_credentials"
                + "&client_id=demo-m2m-agent&client_secret=demo-m2m-agent-secret&audience="
                + enc("https://notes.api.example"));
        assertEquals(200, token.statusCode(), token.body());
        String kindeToken = (String) Http.json(token).get("access_token");
        HttpResponse<String> notes = Http.get(BRIDGE + "/api/notes", "Authorization", "Bearer " + kindeToken);
        assertEquals(200, notes.statusCode(), notes.body());
        assertEquals("org_acme", Http.json(notes).get("org_code"));
        assertEquals(401, Http.get(BRIDGE + "/api/notes").statusCode());
    }

    /** Step 1 of the README, its registration body as written there. */
    private static String register() throws IOException {
        Matcher body = Pattern.compile("-d '(\\{\"client_name\":[^']*)'").matcher(Files.readString(README));
        assertTrue(body.find(), "the README's registration command");
        HttpResponse<String> registered = Http.send(HttpRequest.newBuilder(URI.create(BRIDGE + "/register"))
                .POST(HttpRequest.BodyPublishers.ofString(body.group(1))), "Content-Type", "application/json");
        assertEquals(201, registered.statusCode(), registered.body());
        return (String) Http.json(registered).get("client_id");
    }

    /** Step 2 of the README: its authorize URL with the client id filled in. */
    private static String readmeAuthorizeUrl(String clientId) throws IOException {
        Matcher url = Pattern.compile("(http://localhost:9080/authorize\\?\\S+)").matcher(Files.readString(README));
        assertTrue(url.find(), "the README's authorize URL");
        assertTrue(url.group(1).contains("client_id=CLIENT_ID"), url.group(1));
        return url.group(1).replace("CLIENT_ID", clientId);
    }

    /** Steps 3 to 5: approve on the consent page, pick Alice in org_acme, land on the client's callback. */
    private static Map<String, String> loginInChromium(String authorizeUrl, String name) throws IOException {
        Assumptions.assumeTrue(HeadlessChromium.available(), "SKIPPED: chromium and chromedriver are not installed");
        startClientListener();
        ChromeDriver driver = HeadlessChromium.start();
        try {
            driver.get(authorizeUrl);
            assertTrue(driver.getTitle().startsWith("Approve"), driver.getTitle() + ": " + driver.getPageSource());
            HeadlessChromium.screenshot(driver, name + "-1-consent");
            driver.findElement(By.cssSelector("button[value=approve]")).click();
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().startsWith(DEV_KINDE));
            HeadlessChromium.screenshot(driver, name + "-2-provider");
            WebElement alice = driver.findElements(By.cssSelector("button[name=account]")).stream()
                    .filter(b -> b.getText().contains("Alice") && b.getText().contains("org_acme")).findFirst()
                    .orElseThrow(() -> new AssertionError("no Alice in org_acme: " + driver.getPageSource()));
            alice.click();
            try {
                new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().startsWith(CALLBACK));
            } catch (org.openqa.selenium.TimeoutException e) {
                HeadlessChromium.screenshot(driver, name + "-stuck");
                throw new AssertionError("stuck at " + driver.getCurrentUrl() + ": " + driver.getPageSource(), e);
            }
            HeadlessChromium.screenshot(driver, name + "-3-callback");
            Map<String, String> callback = BrowserSession.query(driver.getCurrentUrl());
            assertEquals("abc", callback.get("state"));
            assertTrue(received.stream().anyMatch(r -> r.contains("code=" + enc(callback.get("code")))),
                    "the client's listener got the code: " + received);
            return callback;
        } finally {
            driver.quit();
        }
    }

    /** Step 6 of the README: the token request with the code and the verifier. */
    private static Map<String, Object> redeem(String clientId, Map<String, String> callback) throws IOException {
        String readme = Files.readString(README);
        assertTrue(readme.contains("-d code_verifier=" + VERIFIER), "the README's token command names the verifier");
        HttpResponse<String> token = form(BRIDGE + "/token", "grant_type=authorization_code&client_id="
                + enc(clientId) + "&code=" + enc(callback.get("code")) + "&redirect_uri="
                + enc(CALLBACK) + "&code_verifier=" + VERIFIER + "&resource=" + enc(BRIDGE + "/mcp"));
        assertEquals(200, token.statusCode(), token.body());
        return Http.json(token);
    }

    private static synchronized void startClientListener() throws IOException {
        if (client != null) {
            return;
        }
        client = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 8765), 0);
        client.createContext("/callback", exchange -> {
            received.add(exchange.getRequestURI().getRawQuery());
            byte[] body = "<!DOCTYPE html><title>signed in</title><p>You can close this window.</p>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        client.start();
    }

    private static HttpResponse<String> form(String url, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/x-www-form-urlencoded";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return Http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)), all);
    }

    private static String output() {
        try {
            return run.output();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
