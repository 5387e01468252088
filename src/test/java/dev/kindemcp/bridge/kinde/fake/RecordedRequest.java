package dev.kindemcp.bridge.kinde.fake;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request FakeKinde received, as the test sees it: method, path, query and form parameters, and headers
 * (looked up without regard to case).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-5.1">RFC 9110 §5.1 Field Names (case-insensitive)</a>
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> query,
        Map<String, List<String>> form, Map<String, List<String>> headers) {

    public RecordedRequest {
        Objects.requireNonNull(method, "method must not be null");
        Objects.requireNonNull(path, "path must not be null");
        query = copy(query);
        form = copy(form);
        TreeMap<String, List<String>> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> caseless.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(caseless);
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name) {
        return first(query, name);
    }

    /** The first value of a form parameter. */
    public Optional<String> formParam(String name) {
        return first(form, name);
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        return first(headers, name);
    }

    private static Optional<String> first(Map<String, List<String>> map, String name) {
        List<String> values = map.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> map) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        map.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }
}
