package dev.kindemcp.bridge.oauth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of an OAuth request (query string or form body) exactly as sent: every value of every name, so that duplicates
 * can be refused rather than silently picked.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.1">RFC 6749 §3.1 (parameters MUST NOT be included more than once)</a>
 */
public final class RequestParameters {

    /** Longest query string accepted (the client's state may be long, but not unbounded). */
    public static final int MAX_QUERY_LENGTH = 16 * 1024;

    private final Map<String, List<String>> values;

    private RequestParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /** Parses a raw query string; {@code null} is an empty request. Malformed escapes become an empty set. */
    public static RequestParameters parse(String rawQuery) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty() || rawQuery.length() > MAX_QUERY_LENGTH) {
            return new RequestParameters(values);
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                values.computeIfAbsent("", n -> new ArrayList<>()).add(pair);
            }
        }
        return new RequestParameters(values);
    }

    /** How many times a parameter was sent. */
    public int count(String name) {
        return values.getOrDefault(name, List.of()).size();
    }

    /** The single value of a parameter, if sent once with a non-empty value. */
    public Optional<String> single(String name) {
        List<String> v = values.getOrDefault(name, List.of());
        return v.size() == 1 && !v.get(0).isEmpty() ? Optional.of(v.get(0)) : Optional.empty();
    }

    /** Names sent more than once. */
    public List<String> duplicates() {
        return values.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
    }
}
