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

    /** What a tool API answered. */
    public record ApiResponse(int status, String body) {
        public ApiResponse {
            Objects.requireNonNull(body, "body must not be null");
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

    private ApiResponse post(String path, String json, Optional<String> audience) {
        return send(request(path, audience).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path, Optional<String> audience) {
        if (!plainPath(path)) {
            throw new IllegalArgumentException("not a plain tool API path: " + path);
        }
        String token = kindeToken();
        if (audience.isPresent() && !carries(token, audience.get())) {
            throw new ToolException("your Kinde token is not for the API " + audience.get()
                    + "; it cannot be sent there");
        }
        return HttpRequest.newBuilder(URI.create(config.toolApiOrigin() + path)).timeout(TIMEOUT)
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
    static boolean plainPath(String path) {
        return path.startsWith("/") && !path.startsWith("//") && !path.contains("\\") && !path.contains("#")
                && !path.matches("(?i).*(^|/)(\\.|%2e){1,2}(/|\\?|$).*") && !path.matches("(?i).*(%2f|%5c).*");
    }

    private ApiResponse send(HttpRequest.Builder request) {
        try {
            HttpResponse<java.io.InputStream> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (java.io.InputStream in = response.body()) {
                body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
            if (body.length > MAX_RESPONSE_BYTES) {
                throw new ToolException("the tool API answered more than " + MAX_RESPONSE_BYTES + " bytes");
            }
            return new ApiResponse(response.statusCode(), new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ToolException("the tool API could not be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while calling the tool API", e);
        }
    }
}
