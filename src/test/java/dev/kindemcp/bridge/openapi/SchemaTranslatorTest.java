package dev.kindemcp.bridge.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.openapi.SchemaTranslator.Direction;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OpenAPI schemas into self-contained JSON Schema 2020-12 for tool descriptions. */
class SchemaTranslatorTest {

    static OpenApiDocument document(String version, String components) throws OpenApiException {
        return OpenApiDocument.parse(URI.create("http://localhost:9080/openapi"), "{\"openapi\":\"" + version
                + "\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{},\"components\":{\"schemas\":"
                + components + "}}");
    }

    static Map<String, Object> translate(OpenApiDocument document, String schema, Direction direction)
            throws Exception {
        return SchemaTranslator.translate(document, OpenApiDocument.parse(URI.create("http://x/"),
                "{\"openapi\":\"3.1.0\",\"paths\":{},\"s\":" + schema + "}").root().get("s"), direction);
    }

    @Test
    void translateWhenRefThenInlinedWithEnumArraysAndFormatsKept() throws Exception {
        OpenApiDocument doc = document("3.1.0", "{\"Priority\":{\"type\":\"string\",\"enum\":[\"LOW\",\"HIGH\"]},"
                + "\"Task\":{\"type\":\"object\",\"required\":[\"title\"],\"properties\":{\"title\":{\"type\":"
                + "\"string\",\"maxLength\":200},\"due\":{\"type\":\"string\",\"format\":\"date-time\"},"
                + "\"priority\":{\"$ref\":\"#/components/schemas/Priority\"},\"tags\":{\"type\":\"array\","
                + "\"items\":{\"type\":\"string\"},\"maxItems\":5}}}}");
        Map<String, Object> schema = translate(doc, "{\"$ref\":\"#/components/schemas/Task\"}", Direction.INPUT);
        Map<?, ?> properties = (Map<?, ?>) schema.get("properties");
        assertEquals(Map.of("type", "string", "enum", List.of("LOW", "HIGH")), properties.get("priority"));
        assertEquals(Map.of("type", "string", "format", "date-time"), properties.get("due"));
        assertEquals(Map.of("type", "array", "items", Map.of("type", "string"), "maxItems", 5), properties.get("tags"));
        assertEquals(List.of("title"), schema.get("required"));
        assertFalse(schema.toString().contains("$ref"), schema.toString());
    }

    @Test
    void translateWhenOneOfAllOfAnyOfNotThenEachBranchTranslated() throws Exception {
        OpenApiDocument doc = document("3.1.0", "{\"Card\":{\"type\":\"object\",\"properties\":{\"number\":"
                + "{\"type\":\"string\"}}},\"Bank\":{\"type\":\"object\",\"properties\":{\"iban\":{\"type\":"
                + "\"string\"}},\"discriminator\":{\"propertyName\":\"kind\"},\"xml\":{\"name\":\"b\"},\"x-internal\":true}}");
        Map<String, Object> schema = translate(doc, "{\"oneOf\":[{\"$ref\":\"#/components/schemas/Card\"},{\"$ref\":"
                + "\"#/components/schemas/Bank\"}],\"allOf\":[{\"type\":\"object\"}],\"anyOf\":[{\"required\":[\"a\"]}],"
                + "\"not\":{\"type\":\"null\"}}", Direction.INPUT);
        List<?> oneOf = (List<?>) schema.get("oneOf");
        assertEquals(Map.of("type", "object", "properties", Map.of("iban", Map.of("type", "string"))), oneOf.get(1),
                "discriminator, xml and extensions are not JSON Schema");
        assertEquals(List.of(Map.of("type", "object")), schema.get("allOf"));
        assertEquals(List.of(Map.of("required", List.of("a"))), schema.get("anyOf"));
        assertEquals(Map.of("type", "null"), schema.get("not"));
    }

    @Test
    void translateWhenOpenApi30NullableAndBooleanBoundsThenJsonSchema2020() throws Exception {
        OpenApiDocument doc = document("3.0.3", "{}");
        Map<String, Object> schema = translate(doc, "{\"type\":\"integer\",\"nullable\":true,\"minimum\":0,"
                + "\"exclusiveMinimum\":true,\"maximum\":10,\"exclusiveMaximum\":false,\"example\":3}", Direction.INPUT);
        assertEquals(List.of("integer", "null"), schema.get("type"));
        assertEquals(0, schema.get("exclusiveMinimum"));
        assertFalse(schema.containsKey("minimum"));
        assertEquals(10, schema.get("maximum"));
        assertFalse(schema.containsKey("exclusiveMaximum"));
        assertEquals(List.of(3), schema.get("examples"));
        Map<String, Object> choice = translate(doc, "{\"type\":\"string\",\"enum\":[\"a\"],\"nullable\":true}",
                Direction.INPUT);
        assertEquals(java.util.Arrays.asList("a", null), choice.get("enum"));
    }

    @Test
    void translateWhenOpenApi31RefWithSiblingsThenSiblingsApplyAndIn30TheyAreIgnored() throws Exception {
        String components = "{\"Id\":{\"type\":\"string\",\"description\":\"an id\"}}";
        String schema = "{\"$ref\":\"#/components/schemas/Id\",\"description\":\"the task's id\"}";
        assertEquals("the task's id", translate(document("3.1.0", components), schema, Direction.INPUT)
                .get("description"));
        assertEquals("an id", translate(document("3.0.3", components), schema, Direction.INPUT).get("description"));
    }

    @Test
    void translateWhenRecursiveRefThenBoundedWithADescription() throws Exception {
        OpenApiDocument doc = document("3.1.0", "{\"Node\":{\"type\":\"object\",\"properties\":{\"children\":"
                + "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Node\"}}}}}");
        Map<String, Object> schema = translate(doc, "{\"$ref\":\"#/components/schemas/Node\"}", Direction.INPUT);
        Map<?, ?> children = (Map<?, ?>) ((Map<?, ?>) schema.get("properties")).get("children");
        Map<?, ?> item = (Map<?, ?>) children.get("items");
        assertEquals(Map.of("description", "recursive: the same shape as #/components/schemas/Node"), item);
    }

    @Test
    void translateWhenReadOnlyOrWriteOnlyThenDroppedInTheirDirectionWithRequired() throws Exception {
        OpenApiDocument doc = document("3.1.0", "{}");
        String schema = "{\"type\":\"object\",\"required\":[\"id\",\"title\",\"secret\"],\"properties\":{\"id\":"
                + "{\"type\":\"string\",\"readOnly\":true},\"title\":{\"type\":\"string\"},\"secret\":{\"type\":"
                + "\"string\",\"writeOnly\":true}}}";
        Map<String, Object> input = translate(doc, schema, Direction.INPUT);
        assertEquals(List.of("title", "secret"), input.get("required"));
        assertEquals(List.of("title", "secret"), List.copyOf(((Map<?, ?>) input.get("properties")).keySet()));
        Map<String, Object> output = translate(doc, schema, Direction.OUTPUT);
        assertEquals(List.of("id", "title"), output.get("required"));
    }

    @Test
    void translateWhenNestedTooDeepOrTooManyPartsThenRefused() throws Exception {
        OpenApiDocument doc = document("3.1.0", "{}");
        String deep = "{\"type\":\"string\"}";
        for (int i = 0; i < SchemaTranslator.MAX_DEPTH + 2; i++) {
            deep = "{\"type\":\"array\",\"items\":" + deep + "}";
        }
        String tooDeep = deep;
        assertTrue(assertThrows(OpenApiException.class, () -> translate(doc, tooDeep, Direction.INPUT)).getMessage()
                .contains("deeper than"));
        // each level names the one below twice: 2^13 parts when inlined, 24 levels deep
        StringBuilder components = new StringBuilder("{\"L0\":{\"type\":\"string\"}");
        for (int i = 1; i <= 12; i++) {
            components.append(",\"L").append(i).append("\":{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":")
                    .append("\"#/components/schemas/L").append(i - 1).append("\"},\"b\":{\"$ref\":")
                    .append("\"#/components/schemas/L").append(i - 1).append("\"}}}");
        }
        OpenApiDocument wide = document("3.1.0", components.append('}').toString());
        assertTrue(assertThrows(OpenApiException.class, () -> translate(wide, "{\"$ref\":\"#/components/schemas/L12\"}",
                Direction.INPUT)).getMessage().contains("more than " + SchemaTranslator.MAX_NODES));
    }

    @Test
    void translateWhenRefToAnotherDocumentOrToNothingThenRefused() throws Exception {
        OpenApiDocument doc = document("3.1.0", "{}");
        assertTrue(assertThrows(OpenApiException.class, () -> translate(doc,
                "{\"$ref\":\"https://evil.example/schemas.json#/Task\"}", Direction.INPUT)).getMessage()
                .contains("another document"));
        assertTrue(assertThrows(OpenApiException.class, () -> translate(doc,
                "{\"$ref\":\"#/components/schemas/Missing\"}", Direction.INPUT)).getMessage().contains("to nothing"));
    }

    @Test
    void parseWhenNotOpenApi3ThenRefused() {
        URI source = URI.create("http://localhost/openapi");
        assertThrows(OpenApiException.class, () -> OpenApiDocument.parse(source, "{\"swagger\":\"2.0\",\"paths\":{}}"));
        assertThrows(OpenApiException.class, () -> OpenApiDocument.parse(source, "not: [valid"));
        assertThrows(OpenApiException.class, () -> OpenApiDocument.parse(source, "[1, 2]"));
    }
}
