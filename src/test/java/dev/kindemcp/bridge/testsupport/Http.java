package dev.kindemcp.bridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A small black-box HTTP client for integration tests: HTTP/1.1 (no h2c upgrade), no redirects followed.
 */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public static HttpResponse<String> get(String url, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
    }

    public static HttpResponse<String> options(String url, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
                headers);
    }

    public static HttpResponse<String> send(HttpRequest.Builder builder, String... headers) {
        Objects.requireNonNull(builder, "builder must not be null");
        if (headers.length > 0) {
            builder.headers(headers);
        }
        builder.timeout(Duration.ofSeconds(30));
        try {
            return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The status of a request the container may refuse before reading it all (an oversized header): the status,
     * or 0 when the container closed the connection instead of answering, which also refuses the request.
     */
    public static int statusOrClosed(java.util.function.Supplier<HttpResponse<String>> send) {
        try {
            return send.get().statusCode();
        } catch (java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** The JSON body of a response as a map (Nimbus's parser). */
    public static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return com.nimbusds.jose.util.JSONObjectUtils.parse(response.body());
        } catch (java.text.ParseException e) {
            throw new AssertionError("not a JSON object: " + response.body(), e);
        }
    }

    /** The JSON-RPC message of an MCP response, whether sent as JSON or as the last server-sent event. */
    public static Map<String, Object> jsonRpc(HttpResponse<String> response) {
        String body = response.body();
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            body = body.lines().filter(l -> l.startsWith("data:")).map(l -> l.substring(5).trim())
                    .reduce((a, b) -> b).orElse("");
        }
        try {
            return com.nimbusds.jose.util.JSONObjectUtils.parse(body);
        } catch (java.text.ParseException e) {
            throw new AssertionError("not JSON-RPC: " + response.body(), e);
        }
    }
}
