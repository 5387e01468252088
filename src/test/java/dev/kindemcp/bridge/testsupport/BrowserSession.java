package dev.kindemcp.bridge.testsupport;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted browser for the authorization flow: a cookie jar per host (Secure cookies are kept on loopback
 * http, as browsers do for localhost), manual redirects, and a small parser for the bridge's consent form.
 */
public final class BrowserSession {

    private final Map<String, Map<String, String>> cookies = new LinkedHashMap<>();

    public HttpResponse<String> get(String url, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), url, headers);
    }

    public HttpResponse<String> postForm(String url, Map<String, String> form, String... headers) {
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .reduce((a, b) -> a + "&" + b).orElse("");
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/x-www-form-urlencoded";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)), url, all);
    }

    private HttpResponse<String> send(HttpRequest.Builder builder, String url, String... headers) {
        String cookieHeader = cookieHeader(url);
        String[] all = headers;
        if (!cookieHeader.isEmpty()) {
            all = new String[headers.length + 2];
            System.arraycopy(headers, 0, all, 0, headers.length);
            all[headers.length] = "Cookie";
            all[headers.length + 1] = cookieHeader;
        }
        HttpResponse<String> response = Http.send(builder, all);
        store(url, response.headers().allValues("Set-Cookie"));
        return response;
    }

    /** The cookies this browser holds for the host of {@code url}. */
    public Map<String, String> cookies(String url) {
        return cookies.getOrDefault(URI.create(url).getAuthority(), Map.of());
    }

    public void setCookie(String url, String name, String value) {
        cookies.computeIfAbsent(URI.create(url).getAuthority(), h -> new LinkedHashMap<>()).put(name, value);
    }

    public void removeCookie(String url, String name) {
        cookies.getOrDefault(URI.create(url).getAuthority(), new LinkedHashMap<>()).remove(name);
    }

    private String cookieHeader(String url) {
        return String.join("; ", cookies(url).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private void store(String url, List<String> setCookies) {
        Map<String, String> jar = cookies.computeIfAbsent(URI.create(url).getAuthority(), h -> new LinkedHashMap<>());
        for (String header : setCookies) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            boolean expired = Pattern.compile(";\\s*max-age=0", Pattern.CASE_INSENSITIVE).matcher(header).find()
                    || value.isEmpty();
            if (expired) {
                jar.remove(name);
            } else {
                jar.put(name, value);
            }
        }
    }

    /** The consent form of a page: its action and every named hidden input. */
    public static Map<String, String> formFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">").matcher(html);
        while (input.find()) {
            fields.put(input.group(1), input.group(2).replace("&#34;", "\"").replace("&amp;", "&"));
        }
        return fields;
    }

    /** The query parameters of a URL (single values). */
    public static Map<String, String> query(String url) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
