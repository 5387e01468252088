package dev.kindemcp.bridge.mcp;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.kinde.KindeGrantException;
import dev.kindemcp.bridge.kinde.KindeIdentity;
import dev.kindemcp.bridge.kinde.KindeUpstreamException;
import dev.kindemcp.bridge.kinde.TokenVault;
import dev.kindemcp.bridge.resource.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP client MCP tools use to reach in-house tool APIs on behalf of the caller: every request carries the
 * caller's current Kinde access token from the vault (refreshed with Kinde when it is about to expire), never
 * the bridge token the MCP client sent. Paths are resolved against {@code bridge.tool-api-url}.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices#token-passthrough">MCP 2025-11-25 Security Best Practices: "Token Passthrough"</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-2.1">RFC 6750 §2.1 Authorization Request Header Field</a>
 */
@ApplicationScoped
public class ToolApiClient {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    /** What a tool API answered; {@code contentType} is empty when the answer named none. */
    public record ApiResponse(int status, String body, String contentType) {
        public ApiResponse {
            Objects.requireNonNull(body, "body must not be null");
            Objects.requireNonNull(contentType, "contentType must not be null");
        }

        public ApiResponse(int status, String body) {
            this(status, body, "");
        }

        /** Whether the answer says it is JSON ({@code application/json} or a {@code +json} type). */
        public boolean isJson() {
            String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
            return type.equals("application/json") || type.endsWith("+json");
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The body as a JSON object. */
        public Map<String, Object> json() {
            try {
                return JSONObjectUtils.parse(body);
            } catch (ParseException e) {
                throw new ToolException("the tool API answered something that is not a JSON object");
            }
        }
    }

    private final BridgeConfig config;
    private final TokenVault vault;
    private final Caller caller;
    private final HttpClient http;

    @Inject
    public ToolApiClient(BridgeConfig config, TokenVault vault, Caller caller) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.vault = Objects.requireNonNull(vault, "vault must not be null");
        this.caller = Objects.requireNonNull(caller, "caller must not be null");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    ToolApiClient() { // CDI proxy
        this.config = null;
        this.vault = null;
        this.caller = null;
        this.http = null;
    }

    public ApiResponse get(String path) {
        return send(request(path, Optional.empty()).GET());
    }

    public ApiResponse post(String path, String json) {
        return post(path, json, Optional.empty());
    }

    /**
     * The calls to one Kinde API among several ({@code kinde.audience} lists them): the caller's Kinde token is
     * sent only when it carries {@code audience}; otherwise the call is a tool error and nothing is sent.
     */
    public Api forApi(String audience) {
        return new Api(Objects.requireNonNull(audience, "audience must not be null"));
    }

    /** {@link ToolApiClient} bound to one Kinde API audience. */
    public final class Api {

        private final String audience;

        private Api(String audience) {
            this.audience = audience;
        }

        public ApiResponse get(String path) {
            return send(request(path, Optional.of(audience)).GET());
        }

        public ApiResponse post(String path, String json) {
            return ToolApiClient.this.post(path, json, Optional.of(audience));
        }
    }

    /**
     * Sends a request that a declared tool built (any method, an absolute URL): the URL must be on the tool-API
     * origin or on one of {@code bridge.openapi.origins}, with a plain path, and the headers may not replace the
     * ones this client sets. The caller's Kinde token is attached as for {@link #get}.
     *
     * @throws IllegalArgumentException when the request breaks one of those rules (nothing is sent)
     */
    public ApiResponse exchange(ApiRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        URI target = request.target();
        if (!allowedOrigins().contains(origin(target)) || target.getRawUserInfo() != null
                || target.getRawFragment() != null) {
            throw new IllegalArgumentException("not a tool-API origin: " + origin(target));
        }
        if (target.getRawPath() == null || !plainPath(target.getRawPath())) {
            throw new IllegalArgumentException("not a plain tool API path: " + target.getRawPath());
        }
        HttpRequest.Builder builder = authorized(target, request.audience());
        request.headers().forEach(h -> builder.header(h.getKey(), h.getValue()));
        HttpRequest.BodyPublisher body = request.jsonBody().map(HttpRequest.BodyPublishers::ofString)
                .orElseGet(HttpRequest.BodyPublishers::noBody);
        if (request.jsonBody().isPresent()) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder.method(request.method(), body));
    }

    /** The origins a declared tool may call: the tool-API origin and {@code bridge.openapi.origins}. */
    public java.util.Set<URI> allowedOrigins() {
        java.util.Set<URI> origins = new java.util.LinkedHashSet<>();
        origins.add(config.toolApiOrigin());
        origins.addAll(config.openApi().origins());
        return origins;
    }

    /** Scheme, host and port of an absolute URL (default ports left out), lower-cased. */
    public static URI origin(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(java.util.Locale.ROOT);
        int port = url.getPort();
        boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return URI.create(scheme + "://" + host + (defaultPort ? "" : ":" + port));
    }

    private ApiResponse post(String path, String json, Optional<String> audience) {
        return send(request(path, audience).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path, Optional<String> audience) {
        if (!plainPath(path)) {
            throw new IllegalArgumentException("not a plain tool API path: " + path);
        }
        return authorized(URI.create(config.toolApiOrigin() + path), audience);
    }

    private HttpRequest.Builder authorized(URI target, Optional<String> audience) {
        String token = kindeToken();
        if (audience.isPresent() && !carries(token, audience.get())) {
            throw new ToolException("your Kinde token is not for the API " + audience.get()
                    + "; it cannot be sent there");
        }
        return HttpRequest.newBuilder(target).timeout(TIMEOUT)
                .header("Accept", "application/json")
                // MCP Security Best Practices: "Token Passthrough": the API gets the caller's Kinde token
                .header("Authorization", "Bearer " + token);
    }

    /** Whether a Kinde token from the vault (verified when it was stored) names {@code audience}. */
    private static boolean carries(String kindeToken, String audience) {
        try {
            return KindeIdentity.ofVerifiedToken(kindeToken).audience().contains(audience);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String kindeToken() {
        String grant = caller.kindeGrant().orElseThrow(() -> new ToolException("this caller has no Kinde login "
                + "(a provisioned client-credentials client); tools that call in-house APIs need a Kinde user or "
                + "Kinde M2M credentials"));
        try {
            return vault.currentAccessToken(grant);
        } catch (KindeGrantException e) {
            throw new ToolException("your Kinde session has ended; sign in again (re-authorize this client)", e);
        } catch (KindeUpstreamException e) {
            throw new ToolException("Kinde is unavailable right now; try again in a moment", e);
        }
    }

    /**
     * The caller's Kinde token goes only to plain paths of the tool-API origin: absolute, no dot segments, no
     * authority or fragment tricks, no encoded separators (tools build paths from their arguments).
     */
    public static boolean plainPath(String path) {
        return path.startsWith("/") && !path.startsWith("//") && !path.contains("\\") && !path.contains("#")
                && !path.matches("(?i).*(^|/)(\\.|%2e){1,2}(/|\\?|$).*") && !path.matches("(?i).*(%2f|%5c).*");
    }

    /** At most {@link #MAX_RESPONSE_BYTES} of an answer; a longer one is a tool error (the rest is never read). */
    static byte[] readBounded(java.io.InputStream body) throws IOException {
        try (java.io.InputStream in = body) {
            byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new ToolException("the tool API answered more than " + MAX_RESPONSE_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /** Carries the current trace to the tool API (W3C traceparent; nothing while telemetry is off). */
    @Inject
    io.opentelemetry.api.OpenTelemetry telemetry = io.opentelemetry.api.OpenTelemetry.noop();

    private ApiResponse send(HttpRequest.Builder request) {
        telemetry.getPropagators().getTextMapPropagator().inject(io.opentelemetry.context.Context.current(), request,
                (builder, name, value) -> builder.header(name, value));
        try {
            HttpResponse<java.io.InputStream> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] body = readBounded(response.body());
            return new ApiResponse(response.statusCode(), new String(body, java.nio.charset.StandardCharsets.UTF_8),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new ToolException(e instanceof java.net.http.HttpTimeoutException
                    ? "the tool API did not answer within " + TIMEOUT.toSeconds() + " s"
                    : "the tool API could not be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while calling the tool API", e);
        }
    }
}
