package dev.kindemcp.bridge.kinde.fake;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small HTTP helpers for FakeKinde's handlers: bounded body reading, form and query decoding, and writing
 * JSON, HTML, redirects and Nimbus {@link HTTPResponse}s onto a JDK {@link HttpExchange}.
 *
 * <p>Related specifications:
 * @see <a href="https://url.spec.whatwg.org/#application/x-www-form-urlencoded">WHATWG URL: application/x-www-form-urlencoded</a>
 */
final class FakeHttp {

    static final String JSON = "application/json;charset=UTF-8";
    static final String HTML = "text/html;charset=UTF-8";
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private FakeHttp() {
    }

    /** Reads at most 64 KiB of the request body; longer bodies are cut off. */
    static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES);
            in.transferTo(OutputStream.nullOutputStream());
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Decodes {@code a=1&b=2&a=3} into an ordered multimap. */
    static Map<String, List<String>> decode(String encoded) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    static Map<String, List<String>> query(URI uri) {
        return decode(uri.getRawQuery());
    }

    static boolean isForm(HttpExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    static void json(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, JSON, JSONObjectUtils.toJSONString(cast(body)));
    }

    /**
     * Writes a page. Its policy has no {@code form-action}: the sign-in form's answer redirects to the bridge's
     * callback, which redirects on to the MCP client's redirect URI, and browsers check form-action against
     * every redirect of a form submission, so {@code 'self'} blocks the login (as Chromium did).
     */
    static void html(HttpExchange exchange, int status, String page) throws IOException {
        exchange.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, HTML, page);
    }

    static void redirect(HttpExchange exchange, URI location) throws IOException {
        exchange.getResponseHeaders().set("Location", location.toString());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /** Writes a Nimbus response (status, content type, body, and its other headers). */
    static void nimbus(HttpExchange exchange, HTTPResponse response) throws IOException {
        response.getHeaderMap().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                exchange.getResponseHeaders().put(name, new ArrayList<>(values));
            }
        });
        String type = response.getEntityContentType() == null ? JSON : response.getEntityContentType().toString();
        send(exchange, response.getStatusCode(), type, response.getBody() == null ? "" : response.getBody());
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<String, ?> body) {
        return (Map<String, Object>) body;
    }
}
