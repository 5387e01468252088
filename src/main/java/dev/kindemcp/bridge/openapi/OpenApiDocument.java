package dev.kindemcp.bridge.openapi;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One OpenAPI 3.0 or 3.1 document, parsed from JSON or YAML into plain maps and lists, with the local
 * references ({@code #/components/...}) it may use. References to other documents are refused: the bridge
 * fetches only what configuration names.
 *
 * <p>Related specifications:
 * @see <a href="https://spec.openapis.org/oas/v3.1.0#reference-object">OpenAPI 3.1.0 §4.8.23 Reference Object</a>
 * @see <a href="https://spec.openapis.org/oas/v3.0.3#openapi-object">OpenAPI 3.0.3 §4.7.1 OpenAPI Object</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6901">RFC 6901 JSON Pointer</a>
 */
public final class OpenApiDocument {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final URI source;
    private final Map<String, Object> root;
    private final boolean version30;

    private OpenApiDocument(URI source, Map<String, Object> root, boolean version30) {
        this.source = source;
        this.root = root;
        this.version30 = version30;
    }

    /**
     * Parses a document's text.
     *
     * @throws OpenApiException when it is not JSON or YAML, or not an OpenAPI 3.0 or 3.1 document
     */
    public static OpenApiDocument parse(URI source, String text) throws OpenApiException {
        Objects.requireNonNull(source, "source must not be null");
        Object tree;
        try {
            tree = text.stripLeading().startsWith("{") ? JSON.readValue(text, Object.class)
                    : YAML.readValue(text, Object.class);
        } catch (JacksonException e) {
            throw new OpenApiException("is neither JSON nor YAML: " + e.getOriginalMessage());
        }
        if (!(tree instanceof Map<?, ?> map)) {
            throw new OpenApiException("is not an OpenAPI document (not an object)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) map;
        Object version = root.get("openapi");
        if (!(version instanceof String v) || !v.matches("3\\.[0-2](\\.\\d+)?(-.*)?")) {
            throw new OpenApiException("is not an OpenAPI 3.0, 3.1 or 3.2 document (openapi: " + version + ")");
        }
        if (!(root.get("paths") instanceof Map<?, ?>)) {
            throw new OpenApiException("has no paths");
        }
        return new OpenApiDocument(source, root, v.startsWith("3.0"));
    }

    public URI source() {
        return source;
    }

    public Map<String, Object> root() {
        return root;
    }

    /** OpenAPI 3.0 (whose schemas are not JSON Schema 2020-12: {@code nullable}, boolean exclusive bounds). */
    public boolean version30() {
        return version30;
    }

    /**
     * The value a local reference points to.
     *
     * @throws OpenApiException when the reference is not local or points nowhere
     */
    public Object resolve(String ref) throws OpenApiException {
        if (!ref.startsWith("#")) {
            throw new OpenApiException("refers to another document (" + ref + "); only local references are read");
        }
        Object node = root;
        String pointer = URLDecoder.decode(ref.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
        if (pointer.isEmpty()) {
            return node;
        }
        if (!pointer.startsWith("/")) {
            throw new OpenApiException("has a reference that is not a JSON pointer (" + ref + ")");
        }
        for (String token : pointer.substring(1).split("/", -1)) {
            String key = token.replace("~1", "/").replace("~0", "~");
            if (node instanceof Map<?, ?> map && map.containsKey(key)) {
                node = map.get(key);
            } else if (node instanceof List<?> list && key.matches("\\d{1,9}") && Integer.parseInt(key) < list.size()) {
                node = list.get(Integer.parseInt(key));
            } else {
                throw new OpenApiException("has a reference to nothing (" + ref + ")");
            }
        }
        return node;
    }

    /** A map of the parsed tree (its keys are strings). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** A map member of {@code node}, or an empty map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String key) {
        return node instanceof Map<?, ?> m && m.get(key) instanceof Map<?, ?> value ? (Map<String, Object>) value : Map.of();
    }

    /** A list member of {@code node}, or an empty list. */
    static List<?> list(Object node, String key) {
        return node instanceof Map<?, ?> m && m.get(key) instanceof List<?> value ? value : List.of();
    }

    /** A string member of {@code node}, or null. */
    static String string(Object node, String key) {
        return node instanceof Map<?, ?> m && m.get(key) instanceof String value ? value : null;
    }
}
