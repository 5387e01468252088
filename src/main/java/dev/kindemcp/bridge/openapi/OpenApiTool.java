package dev.kindemcp.bridge.openapi;

import dev.kindemcp.bridge.mcp.ApiRequest;
import dev.kindemcp.bridge.mcp.ExternalTool;
import dev.kindemcp.bridge.mcp.ToolApiClient.ApiResponse;
import dev.kindemcp.bridge.mcp.ToolException;
import dev.kindemcp.bridge.resource.Caller;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * An MCP tool declared by an OpenAPI operation. A call checks the arguments against the input schema, builds the
 * request ({@link HttpOperation}) and sends it with the caller's Kinde token; a 2xx JSON answer becomes
 * structured content and text, any other status a tool error naming the status and the API's message.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#structured-content">MCP 2025-11-25 Tools: "Structured Content"</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#error-handling">MCP 2025-11-25 Tools: "Error Handling"</a>
 */
public final class OpenApiTool implements ExternalTool {

    /** Longest API message quoted in a tool error. */
    static final int MAX_MESSAGE = 300;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * What the operation declares.
     *
     * @param permissions the Kinde permissions the caller needs: all of one of these sets (empty: none needed)
     * @param operation   where it comes from, for log lines ({@code GET /notes in http://…/openapi})
     */
    public record Definition(String name, String title, String description, String scope,
            List<Set<String>> permissions, boolean usersOnly, McpSchema.ToolAnnotations annotations,
            Map<String, Object> inputSchema, Optional<Map<String, Object>> outputSchema, HttpOperation http,
            String operation) {
        public Definition {
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(description, "description must not be null");
            Objects.requireNonNull(scope, "scope must not be null");
            permissions = permissions.stream().map(Set::copyOf).toList();
            inputSchema = Map.copyOf(inputSchema);
            Objects.requireNonNull(outputSchema, "outputSchema must not be null");
            Objects.requireNonNull(http, "http must not be null");
            Objects.requireNonNull(operation, "operation must not be null");
        }
    }

    private final Definition definition;
    private final Function<ApiRequest, ApiResponse> transport;
    private final JsonSchemaValidator validator;

    public OpenApiTool(Definition definition, Function<ApiRequest, ApiResponse> transport,
            JsonSchemaValidator validator) {
        this.definition = Objects.requireNonNull(definition, "definition must not be null");
        this.transport = Objects.requireNonNull(transport, "transport must not be null");
        this.validator = Objects.requireNonNull(validator, "validator must not be null");
    }

    public Definition definition() {
        return definition;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public String scope() {
        return definition.scope();
    }

    @Override
    public boolean allowedFor(Caller caller) {
        boolean permitted = definition.permissions().isEmpty()
                || definition.permissions().stream().anyMatch(all -> all.stream().allMatch(caller::hasPermission));
        return permitted && !(definition.usersOnly() && caller.machine());
    }

    @Override
    public String refusal(Caller caller) {
        if (definition.usersOnly() && caller.machine()) {
            return "tool " + name() + " acts for a person; system actors may not call it";
        }
        // DESIGN.md §3: a missing Kinde permission is a tool error, never a step-up
        return "you lack the Kinde permission " + needs() + " that tool " + name()
                + " needs; an administrator of your organisation can grant it in Kinde";
    }

    private String needs() {
        return definition.permissions().stream().map(all -> String.join(" and ", all.stream().sorted().toList()))
                .collect(Collectors.joining(" (or ", "", definition.permissions().size() > 1 ? ")" : ""));
    }

    @Override
    public McpSchema.Tool describe() {
        String needs = " (needs scope " + scope() + (definition.permissions().isEmpty() ? "" : " and Kinde permission "
                + needs()) + ")";
        McpSchema.Tool.Builder builder = McpSchema.Tool.builder().name(name())
                .description(definition.description() + needs).inputSchema(definition.inputSchema())
                .annotations(definition.annotations());
        definition.outputSchema().ifPresent(builder::outputSchema);
        if (definition.title() != null) {
            builder.title(definition.title());
        }
        return builder.build();
    }

    @Override
    public McpSchema.CallToolResult call(Map<String, Object> arguments, Caller caller) {
        JsonSchemaValidator.ValidationResponse valid = validator.validate(definition.inputSchema(), arguments);
        if (!valid.valid()) {
            throw new ToolException("the arguments of tool " + name() + " do not match its input schema: "
                    + valid.errorMessage());
        }
        ApiRequest request = definition.http().build(arguments);
        ApiResponse response;
        try {
            response = transport.apply(request);
        } catch (IllegalArgumentException e) {
            throw new ToolException("tool " + name() + " may not send this request: " + e.getMessage());
        }
        return result(name(), response, definition.outputSchema().isPresent());
    }

    /** A tool result for what the API answered. */
    static McpSchema.CallToolResult result(String name, ApiResponse response, boolean structured) {
        if (!response.ok()) {
            throw new ToolException("the API of tool " + name + " answered " + response.status()
                    + message(response).map(m -> ": " + m).orElse(""));
        }
        String body = response.body();
        if (body.isBlank()) {
            if (structured) {
                throw new ToolException("the API of tool " + name + " answered " + response.status()
                        + " without the JSON its documentation promises");
            }
            return McpSchema.CallToolResult.builder().addTextContent("done (HTTP " + response.status() + ")").build();
        }
        if (!response.isJson()) {
            if (structured) {
                throw new ToolException("the API of tool " + name + " answered " + response.contentType()
                        + " instead of the JSON its documentation promises");
            }
            return McpSchema.CallToolResult.builder().addTextContent(body).build();
        }
        Object value;
        try {
            value = JSON.readValue(body, Object.class);
        } catch (JacksonException e) {
            throw new ToolException("the API of tool " + name + " answered JSON that does not parse");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> content = value instanceof Map<?, ?> map ? (Map<String, Object>) map
                : new java.util.LinkedHashMap<>(java.util.Collections.singletonMap("result", value));
        if (structured && !(value instanceof Map<?, ?>)) {
            throw new ToolException("the API of tool " + name + " answered JSON that is not the object its "
                    + "documentation promises");
        }
        // MCP 2025-11-25 Tools: "Structured Content": also serialized as text for older clients
        return McpSchema.CallToolResult.builder().structuredContent(content).addTextContent(body).build();
    }

    /** The API's own error message: a usual member of a JSON error, or the start of a text answer. */
    static Optional<String> message(ApiResponse response) {
        String text = null;
        if (response.isJson()) {
            try {
                if (JSON.readValue(response.body(), Object.class) instanceof Map<?, ?> error) {
                    for (String key : List.of("error_description", "message", "detail", "title", "error")) {
                        if (error.get(key) instanceof String value && !value.isBlank()) {
                            text = value;
                            break;
                        }
                    }
                }
            } catch (JacksonException e) {
                text = null;
            }
        } else if (response.contentType().toLowerCase(java.util.Locale.ROOT).startsWith("text/plain")) {
            text = response.body();
        }
        if (text == null) {
            return Optional.empty();
        }
        String clean = text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return clean.isEmpty() ? Optional.empty()
                : Optional.of(clean.length() > MAX_MESSAGE ? clean.substring(0, MAX_MESSAGE) + "…" : clean);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OpenApiTool tool && tool.definition.equals(definition);
    }

    @Override
    public int hashCode() {
        return definition.hashCode();
    }

    @Override
    public String toString() {
        return "OpenApiTool[" + name() + ", " + definition.operation() + "]";
    }
}
