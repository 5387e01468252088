package dev.kindemcp.bridge.openapi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an OpenAPI Schema Object into a self-contained JSON Schema 2020-12 schema for an MCP tool: local
 * {@code $ref}s are inlined (a reference back into itself becomes the empty schema, "anything"), OpenAPI 3.0's
 * {@code nullable}, boolean {@code exclusiveMinimum}/{@code exclusiveMaximum} and {@code example} are rewritten,
 * keywords JSON Schema does not define ({@code discriminator}, {@code xml}, extensions) are left out, and
 * properties that do not travel in that direction are dropped ({@code readOnly} ones from inputs,
 * {@code writeOnly} ones from outputs). Depth and size are bounded, so that no document can make a tool
 * description explode.
 *
 * <p>Related specifications:
 * @see <a href="https://spec.openapis.org/oas/v3.1.0#schema-object">OpenAPI 3.1.0 §4.8.24 Schema Object</a>
 * @see <a href="https://spec.openapis.org/oas/v3.0.3#schema-object">OpenAPI 3.0.3 §4.7.24 Schema Object</a>
 * @see <a href="https://json-schema.org/draft/2020-12/json-schema-validation">JSON Schema 2020-12 Validation</a>
 */
public final class SchemaTranslator {

    /** Deepest nesting of schemas (references count as one level). */
    public static final int MAX_DEPTH = 32;
    /** Most schema objects in one translated schema. */
    public static final int MAX_NODES = 4000;

    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "dependentSchemas");
    private static final Set<String> SCHEMAS = Set.of("items", "additionalProperties", "not", "if", "then", "else",
            "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties");
    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final Set<String> VALUES = Set.of("type", "enum", "const", "multipleOf", "maximum", "minimum",
            "exclusiveMaximum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
            "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties", "required",
            "dependentRequired", "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples",
            "format", "contentEncoding", "contentMediaType");

    /** Which way values travel: the direction decides which of readOnly and writeOnly properties are dropped. */
    public enum Direction { INPUT, OUTPUT }

    private final OpenApiDocument document;
    private final Direction direction;
    private int nodes;

    private SchemaTranslator(OpenApiDocument document, Direction direction) {
        this.document = document;
        this.direction = direction;
    }

    /**
     * Translates {@code schema} (a Schema Object or reference) of {@code document}.
     *
     * @throws OpenApiException when a reference points nowhere or elsewhere, or the schema is too deep or too big
     */
    public static Map<String, Object> translate(OpenApiDocument document, Object schema, Direction direction)
            throws OpenApiException {
        Object translated = new SchemaTranslator(document, direction).node(schema, 0, new ArrayDeque<>());
        return translated instanceof Map<?, ?> map ? cast(map) : new LinkedHashMap<>(); // true: anything
    }

    private Object node(Object schema, int depth, Deque<String> references) throws OpenApiException {
        if (schema instanceof Boolean) {
            return schema; // JSON Schema 2020-12 boolean schemas (OpenAPI 3.1)
        }
        if (!(schema instanceof Map<?, ?> raw)) {
            throw new OpenApiException("has a schema that is not an object");
        }
        if (++nodes > MAX_NODES) {
            throw new OpenApiException("has a schema of more than " + MAX_NODES + " parts");
        }
        if (depth > MAX_DEPTH) {
            throw new OpenApiException("has a schema nested deeper than " + MAX_DEPTH + " levels");
        }
        Map<String, Object> source = cast(raw);
        if (source.get("$ref") instanceof String ref) {
            if (references.contains(ref)) {
                return new LinkedHashMap<>(Map.of("description", "recursive: the same shape as " + ref));
            }
            references.push(ref);
            Object target = node(document.resolve(ref), depth + 1, references);
            references.pop();
            if (document.version30() || source.size() == 1 || !(target instanceof Map<?, ?> resolved)) {
                return target; // OpenAPI 3.0: siblings of $ref are ignored
            }
            Map<String, Object> merged = new LinkedHashMap<>(cast(resolved));
            Map<String, Object> siblings = new LinkedHashMap<>(source);
            siblings.remove("$ref");
            merged.putAll(cast((Map<?, ?>) node(siblings, depth, references)));
            return merged;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : source.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            if (SCHEMA_MAPS.contains(key) && value instanceof Map<?, ?> members) {
                Map<String, Object> translated = new LinkedHashMap<>();
                for (Map.Entry<String, Object> member : cast(members).entrySet()) {
                    translated.put(member.getKey(), node(member.getValue(), depth + 1, references));
                }
                result.put(key, translated);
            } else if (SCHEMAS.contains(key) && (value instanceof Map<?, ?> || value instanceof Boolean)) {
                result.put(key, node(value, depth + 1, references));
            } else if (SCHEMA_LISTS.contains(key) && value instanceof List<?> list) {
                List<Object> translated = new ArrayList<>();
                for (Object member : list) {
                    translated.add(node(member, depth + 1, references));
                }
                result.put(key, translated);
            } else if (VALUES.contains(key)) {
                result.put(key, value);
            } else if (key.equals("example") && !source.containsKey("examples")) {
                result.put("examples", List.of(value)); // OpenAPI 3.0 (and deprecated in 3.1)
            }
        }
        if (document.version30()) {
            rewrite30(source, result);
        }
        dropOneWayProperties(result);
        return result;
    }

    /** OpenAPI 3.0's nullable and boolean exclusive bounds, in JSON Schema 2020-12 terms. */
    private static void rewrite30(Map<String, Object> source, Map<String, Object> result) {
        if (Boolean.TRUE.equals(source.get("nullable"))) {
            Object type = result.get("type");
            if (type instanceof String single) {
                result.put("type", List.of(single, "null"));
            }
            if (result.get("enum") instanceof List<?> values && !values.contains(null)) {
                List<Object> withNull = new ArrayList<>(values);
                withNull.add(null);
                result.put("enum", withNull);
            }
        }
        for (String[] bound : new String[][] {{"exclusiveMinimum", "minimum"}, {"exclusiveMaximum", "maximum"}}) {
            Object exclusive = result.get(bound[0]);
            if (exclusive instanceof Boolean flag) {
                result.remove(bound[0]);
                if (flag && result.get(bound[1]) instanceof Number limit) {
                    result.remove(bound[1]);
                    result.put(bound[0], limit);
                }
            }
        }
    }

    /** readOnly properties are never sent in a request, writeOnly ones never come back (OpenAPI §4.8.24). */
    private void dropOneWayProperties(Map<String, Object> result) {
        if (!(result.get("properties") instanceof Map<?, ?> properties)) {
            return;
        }
        String oneWay = direction == Direction.INPUT ? "readOnly" : "writeOnly";
        Map<String, Object> kept = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        cast(properties).forEach((name, schema) -> {
            if (schema instanceof Map<?, ?> s && Boolean.TRUE.equals(s.get(oneWay))) {
                dropped.add(name);
            } else {
                kept.put(name, schema);
            }
        });
        if (dropped.isEmpty()) {
            return;
        }
        result.put("properties", kept);
        if (result.get("required") instanceof List<?> required) {
            List<Object> stillRequired = new ArrayList<>(required);
            stillRequired.removeAll(dropped);
            if (stillRequired.isEmpty()) {
                result.remove("required");
            } else {
                result.put("required", stillRequired);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
