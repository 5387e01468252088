package dev.kindemcp.bridge.testsupport;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Drives a whole login as an MCP client and its user would: register, authorize with PKCE, approve on the
 * consent page, sign in at the Kinde fake, and collect the code from the redirect.
 */
public final class LoginDriver {

    /** RFC 7636 Appendix B. */
    public static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    public static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    public static final String REDIRECT = "http://127.0.0.1:8765/callback";

    /** A registered client: its id, and its secret and registration data when it has them. */
    public record Client(String clientId, Map<String, Object> registration) {
        public String secret() {
            return (String) registration.get("client_secret");
        }
    }

    private LoginDriver() {
    }

    /** The origin the logins go to: the test server, or what {@link #at} set for the current block. */
    private static volatile String origin;

    public static String url(String path) {
        return origin() + path;
    }

    private static String origin() {
        String set = origin;
        return set == null ? TestDeployments.issuer() : set;
    }

    /** Sends the logins of this block to {@code publicOrigin} (a load balancer), until closed. */
    public static AutoCloseable at(String publicOrigin) {
        origin = publicOrigin;
        return () -> origin = null;
    }

    /** Registers a client with {@code authMethod} ({@code none} or {@code client_secret_basic}/post). */
    public static Client register(String authMethod) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(url("/register")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"client_name\":\"token test\",\"redirect_uris\":[\""
                        + REDIRECT + "\"],\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
                        + "\"token_endpoint_auth_method\":\"" + authMethod + "\",\"scope\":\"mcp:read mcp:write\"}")),
                "Content-Type", "application/json");
        if (r.statusCode() != 201) {
            throw new AssertionError("registration failed: " + r.body());
        }
        Map<String, Object> md = Http.json(r);
        return new Client((String) md.get("client_id"), md);
    }

    /** A fresh authorization code for {@code client} with {@code scope}, after consent and Kinde login. */
    public static String code(Client client, String scope) {
        HttpResponse<String> callback = callback(client, scope);
        Map<String, String> response = BrowserSession.query(location(callback));
        return Objects.requireNonNull(response.get("code"), "no code: " + response);
    }

    /** The bridge's answer at /kinde/callback after consent and the Kinde login (a redirect, or a page). */
    public static HttpResponse<String> callback(Client client, String scope) {
        BrowserSession browser = new BrowserSession();
        String authorize = url("/authorize?response_type=code&client_id=" + enc(client.clientId()) + "&redirect_uri="
                + enc(REDIRECT) + "&code_challenge=" + CHALLENGE + "&code_challenge_method=S256&state=st&scope="
                + enc(scope) + "&resource=" + enc(url("/mcp")));
        HttpResponse<String> page = browser.get(authorize);
        if (page.statusCode() != 200) {
            throw new AssertionError("no consent page: " + page.statusCode() + " " + page.body());
        }
        Map<String, String> form = new LinkedHashMap<>(BrowserSession.formFields(page.body()));
        form.put("decision", "approve");
        HttpResponse<String> approved = browser.postForm(url("/authorize/consent"), form, "Origin", origin());
        HttpResponse<String> atKinde = browser.get(location(approved));
        return browser.get(location(atKinde));
    }

    /** POST /token with a form and optional headers. */
    public static HttpResponse<String> token(Map<String, String> form, String... headers) {
        return post("/token", form, headers);
    }

    public static HttpResponse<String> post(String path, Map<String, String> form, String... headers) {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .reduce((a, b) -> a + "&" + b).orElse("");
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/x-www-form-urlencoded";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return Http.send(HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofString(body)),
                all);
    }

    /** The form of an authorization_code exchange by a public client. */
    public static Map<String, String> codeExchange(Client client, String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", REDIRECT);
        form.put("code_verifier", VERIFIER);
        form.put("client_id", client.clientId());
        form.put("resource", url("/mcp"));
        return form;
    }

    /** The form of a refresh_token grant by a public client (mutable, for more parameters). */
    public static Map<String, String> refreshForm(Client client, String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", client.clientId());
        return form;
    }

    /**
     * A bridge access token (scope {@code mcp:read}) of {@code userId} in {@code org}, through the whole login of a
     * newly registered public client.
     */
    public static String userAccessToken(String userId, String org) {
        TestKinde.reset(userId, org);
        Client client = register("none");
        return (String) Http.json(token(codeExchange(client, code(client, "mcp:read")))).get("access_token");
    }

    public static String basic(String id, String secret) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private static String location(HttpResponse<String> r) {
        return r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no redirect: "
                + r.statusCode() + " " + r.body()));
    }

    public static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
