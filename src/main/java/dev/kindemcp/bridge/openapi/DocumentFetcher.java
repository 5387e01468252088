package dev.kindemcp.bridge.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads an OpenAPI document from an {@code http(s)} URL or a {@code file:} URL, bounded in size and time, without
 * following redirects and without credentials (documents are read, never the Kinde token sent with them).
 */
final class DocumentFetcher {

    static final int MAX_BYTES = 5 * 1024 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();

    /**
     * The document's text.
     *
     * @throws OpenApiException when it cannot be read, answers other than 200, or is larger than {@link #MAX_BYTES}
     */
    String fetch(URI source) throws OpenApiException {
        if ("file".equals(source.getScheme())) {
            Path file = Path.of(source);
            try {
                if (Files.size(file) > MAX_BYTES) {
                    throw new OpenApiException("is larger than " + MAX_BYTES + " bytes");
                }
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new OpenApiException("cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            }
        }
        HttpRequest request = HttpRequest.newBuilder(source).timeout(TIMEOUT)
                .header("Accept", "application/json, application/yaml;q=0.9, */*;q=0.1").GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BYTES + 1);
            }
            if (response.statusCode() != 200) {
                throw new OpenApiException("answered HTTP " + response.statusCode());
            }
            if (body.length > MAX_BYTES) {
                throw new OpenApiException("is larger than " + MAX_BYTES + " bytes");
            }
            return new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OpenApiException("cannot be fetched (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenApiException("was not fetched: interrupted");
        }
    }
}
