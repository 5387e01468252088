package dev.kindemcp.bridge.openapi;

import static dev.kindemcp.bridge.openapi.OpenApiDocument.list;
import static dev.kindemcp.bridge.openapi.OpenApiDocument.map;
import static dev.kindemcp.bridge.openapi.OpenApiDocument.string;

import dev.kindemcp.bridge.config.OpenApiSettings;
import dev.kindemcp.bridge.mcp.ApiRequest;
import dev.kindemcp.bridge.mcp.ToolApiClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the tools an OpenAPI document declares: the operations marked with {@code x-mcp-tool} (or named in
 * {@code bridge.openapi.operations}) and nothing else. Each becomes a {@link OpenApiTool.Definition}, or a
 * problem line naming the operation and why it was left out.
 *
 * <p>The {@code x-mcp-tool} extension is {@code true} or an object with any of {@code name}, {@code title},
 * {@code description}, {@code scope}, {@code permission} (one or a list: all needed), {@code usersOnly},
 * {@code audience} (the Kinde API audience the caller's token must carry to be sent), {@code readOnly},
 * {@code destructive}, {@code idempotent}, {@code openWorld}; {@code false} keeps a listed operation out.
 *
 * <p>Related specifications:
 * @see <a href="https://spec.openapis.org/oas/v3.1.0#operation-object">OpenAPI 3.1.0 §4.8.10 Operation Object</a>
 * @see <a href="https://spec.openapis.org/oas/v3.1.0#security-requirement-object">OpenAPI 3.1.0 §4.8.30 Security Requirement Object</a>
 * @see <a href="https://spec.openapis.org/oas/v3.1.0#server-object">OpenAPI 3.1.0 §4.8.5 Server Object</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool-names">MCP 2025-11-25 Tools: "Tool Names"</a>
 */
public final class OperationReader {

    /** The extension that marks an operation as an MCP tool. */
    public static final String EXTENSION = "x-mcp-tool";

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Set<String> EXTENSION_FIELDS = Set.of("name", "title", "description", "scope", "permission",
            "usersOnly", "audience", "readOnly", "destructive", "idempotent", "openWorld");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a document declares: the tools, and one line per marked operation left out. */
    public record Result(List<OpenApiTool.Definition> tools, List<String> problems) {
        public Result {
            tools = List.copyOf(tools);
            problems = List.copyOf(problems);
        }
    }

    private final OpenApiDocument document;
    private final OpenApiSettings settings;
    private final Set<URI> origins;
    private final URI toolApiOrigin;
    private final URI fallbackBase;

    /**
     * @param origins       where requests may go (the tool-API origin and {@code bridge.openapi.origins})
     * @param toolApiOrigin {@code bridge.tool-api-url}
     */
    public OperationReader(OpenApiDocument document, OpenApiSettings settings, Set<URI> origins, URI toolApiOrigin) {
        this.document = document;
        this.settings = settings;
        this.origins = Set.copyOf(origins);
        this.toolApiOrigin = toolApiOrigin;
        // OpenAPI §4.8.1: without servers, the server is "/", relative to where the document was read
        this.fallbackBase = "file".equals(document.source().getScheme()) ? toolApiOrigin
                : ToolApiClient.origin(document.source());
    }

    public Result read() {
        List<OpenApiTool.Definition> tools = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Map.Entry<String, Object> path : map(document.root(), "paths").entrySet()) {
            if (!(path.getValue() instanceof Map<?, ?>)) {
                continue;
            }
            Map<String, Object> item = map(document.root().get("paths"), path.getKey());
            for (String method : METHODS) {
                if (!(item.get(method) instanceof Map<?, ?>)) {
                    continue;
                }
                Map<String, Object> operation = map(item, method);
                String where = method.toUpperCase(Locale.ROOT) + " " + path.getKey()
                        + Optional.ofNullable(string(operation, "operationId")).map(id -> " (" + id + ")").orElse("");
                try {
                    Optional<Map<String, Object>> marking = marking(operation);
                    if (marking.isEmpty()) {
                        continue;
                    }
                    OpenApiTool.Definition tool = tool(path.getKey(), item, method, operation, marking.get(), where);
                    if (!names.add(tool.name())) {
                        throw new OpenApiException("has the tool name " + tool.name() + ", which another operation has");
                    }
                    tools.add(tool);
                } catch (OpenApiException e) {
                    problems.add("operation " + where + " is not a tool: it " + e.getMessage());
                }
            }
        }
        return new Result(tools, problems);
    }

    /** The extension's settings when the operation is to be a tool (an empty map for plain {@code true}). */
    private Optional<Map<String, Object>> marking(Map<String, Object> operation) throws OpenApiException {
        Object extension = operation.get(EXTENSION);
        if (extension instanceof String text) {
            String trimmed = text.trim();
            if (trimmed.startsWith("{")) {
                try {
                    extension = JSON.readValue(trimmed, Object.class);
                } catch (JacksonException e) {
                    throw new OpenApiException("has an " + EXTENSION + " value that is not JSON");
                }
            } else if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
                extension = Boolean.parseBoolean(trimmed);
            }
        }
        if (Boolean.FALSE.equals(extension)) {
            return Optional.empty();
        }
        if (extension == null) {
            String id = string(operation, "operationId");
            return id != null && settings.operations().contains(id) ? Optional.of(Map.of()) : Optional.empty();
        }
        if (Boolean.TRUE.equals(extension)) {
            return Optional.of(Map.of());
        }
        if (extension instanceof Map<?, ?> fields) {
            for (Object key : fields.keySet()) {
                if (!EXTENSION_FIELDS.contains(String.valueOf(key))) {
                    throw new OpenApiException("has an unknown " + EXTENSION + " field '" + key + "' (known: "
                            + new java.util.TreeSet<>(EXTENSION_FIELDS) + ")");
                }
            }
            return Optional.of(OpenApiDocument.asMap(fields));
        }
        throw new OpenApiException("has an " + EXTENSION + " value that is neither true, false nor an object");
    }

    private OpenApiTool.Definition tool(String path, Map<String, Object> item, String method,
            Map<String, Object> operation, Map<String, Object> marking, String where) throws OpenApiException {
        String name = text(marking, "name").orElse(string(operation, "operationId"));
        if (name == null) {
            throw new OpenApiException("has neither an operationId nor an " + EXTENSION + " name");
        }
        if (!NAME.matcher(name).matches()) {
            throw new OpenApiException("would be named '" + name + "', which is not a valid MCP tool name "
                    + "(1 to 128 of A-Z a-z 0-9 _ - .)");
        }
        String verb = method.toUpperCase(Locale.ROOT);
        boolean reads = verb.equals("GET") || verb.equals("HEAD");
        String scope = text(marking, "scope").orElse(reads ? settings.readScope() : settings.writeScope());

        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        List<HttpOperation.Parameter> parameters = new ArrayList<>();
        Set<String> templateNames = new LinkedHashSet<>(HttpOperation.templateNames(path));
        for (Map<String, Object> parameter : parameters(item, operation)) {
            String pname = string(parameter, "name");
            String in = String.valueOf(parameter.get("in"));
            if (in.equals("header") && pname != null && List.of("accept", "content-type", "authorization")
                    .contains(pname.toLowerCase(Locale.ROOT))) {
                continue; // OpenAPI §4.8.12.1: such header parameters are ignored
            }
            if (in.equals("cookie")) {
                if (Boolean.TRUE.equals(parameter.get("required"))) {
                    throw new OpenApiException("needs cookie parameter '" + pname + "'; the bridge never sends cookies");
                }
                continue;
            }
            if (pname == null || pname.isEmpty()) {
                throw new OpenApiException("has a parameter without a name");
            }
            if (properties.containsKey(pname) || pname.equals(HttpOperation.BODY) && hasJsonBody(operation)) {
                throw new OpenApiException("has two arguments named '" + pname + "'");
            }
            HttpOperation.In where2 = switch (in) {
                case "path" -> HttpOperation.In.PATH;
                case "query" -> HttpOperation.In.QUERY;
                case "header" -> HttpOperation.In.HEADER;
                default -> throw new OpenApiException("has parameter '" + pname + "' in '" + in + "'");
            };
            if (where2 == HttpOperation.In.HEADER && !ApiRequest.headerNameAllowed(pname)) {
                throw new OpenApiException("has header parameter '" + pname + "', which the bridge does not let "
                        + "arguments set");
            }
            if (where2 == HttpOperation.In.PATH && !templateNames.remove(pname)) {
                throw new OpenApiException("has path parameter '" + pname + "' that is not in its path");
            }
            if (parameter.containsKey("content")) {
                throw new OpenApiException("has parameter '" + pname + "' described by content; only schema is read");
            }
            String style = string(parameter, "style");
            String expected = where2 == HttpOperation.In.QUERY ? "form" : "simple";
            if (style != null && !style.equals(expected)) {
                throw new OpenApiException("has parameter '" + pname + "' in style " + style + "; " + expected
                        + " is read");
            }
            Map<String, Object> schema = SchemaTranslator.translate(document,
                    parameter.getOrDefault("schema", Map.of()), SchemaTranslator.Direction.INPUT);
            if (isObject(schema)) {
                throw new OpenApiException("has parameter '" + pname + "' whose values are objects");
            }
            if (!schema.containsKey("description") && string(parameter, "description") != null) {
                schema.put("description", string(parameter, "description"));
            }
            boolean mandatory = where2 == HttpOperation.In.PATH || Boolean.TRUE.equals(parameter.get("required"));
            properties.put(pname, schema);
            if (mandatory) {
                required.add(pname);
            }
            boolean explode = !Boolean.FALSE.equals(parameter.get("explode"));
            parameters.add(new HttpOperation.Parameter(pname, where2, mandatory, explode));
        }
        if (!templateNames.isEmpty()) {
            throw new OpenApiException("has path template names without a parameter: " + templateNames);
        }
        Optional<Boolean> body = Optional.empty();
        Map<String, Object> requestBody = reference(operation.get("requestBody"));
        if (!requestBody.isEmpty()) {
            boolean bodyRequired = Boolean.TRUE.equals(requestBody.get("required"));
            Optional<Map<String, Object>> media = jsonMedia(map(requestBody, "content"));
            if (media.isEmpty()) {
                if (bodyRequired) {
                    throw new OpenApiException("takes a request body that is not JSON");
                }
            } else {
                Map<String, Object> schema = SchemaTranslator.translate(document,
                        media.get().getOrDefault("schema", Map.of()), SchemaTranslator.Direction.INPUT);
                if (!schema.containsKey("description") && string(requestBody, "description") != null) {
                    schema.put("description", string(requestBody, "description"));
                }
                properties.put(HttpOperation.BODY, schema);
                if (bodyRequired) {
                    required.add(HttpOperation.BODY);
                }
                body = Optional.of(bodyRequired);
            }
        }
        Map<String, Object> input = dev.kindemcp.bridge.mcp.ToolDefinition.inputSchema(properties, required);

        URI base = base(item, operation);
        HttpOperation http = new HttpOperation(verb, base, path, parameters, body, text(marking, "audience"));
        McpSchema.ToolAnnotations annotations = new McpSchema.ToolAnnotations(
                text(marking, "title").orElse(string(operation, "summary")),
                flag(marking, "readOnly").orElse(reads),
                flag(marking, "destructive").orElse(verb.equals("DELETE")),
                flag(marking, "idempotent").orElse(reads || verb.equals("PUT") || verb.equals("DELETE")),
                flag(marking, "openWorld").orElse(false), null);
        return new OpenApiTool.Definition(name, text(marking, "title").orElse(string(operation, "summary")),
                text(marking, "description").orElse(description(operation, verb, path)), scope,
                permissions(operation, marking), flag(marking, "usersOnly").orElse(false), annotations, input,
                outputSchema(operation), http, where + " in " + document.source());
    }

    /** Path-level parameters, overridden by operation-level ones of the same name and location. */
    private List<Map<String, Object>> parameters(Map<String, Object> item, Map<String, Object> operation)
            throws OpenApiException {
        Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
        for (List<?> level : List.of(list(item, "parameters"), list(operation, "parameters"))) {
            for (Object raw : level) {
                Map<String, Object> parameter = reference(raw);
                byKey.put(parameter.get("in") + " " + parameter.get("name"), parameter);
            }
        }
        return List.copyOf(byKey.values());
    }

    /** A member that may be a Reference Object, resolved. */
    private Map<String, Object> reference(Object node) throws OpenApiException {
        Object value = node;
        for (int hops = 0; value instanceof Map<?, ?> m && m.get("$ref") instanceof String ref; hops++) {
            if (hops > 8) {
                throw new OpenApiException("has a chain of references longer than 8");
            }
            value = document.resolve(ref);
        }
        return value instanceof Map<?, ?> found ? OpenApiDocument.asMap(found) : Map.of();
    }

    private boolean hasJsonBody(Map<String, Object> operation) throws OpenApiException {
        return jsonMedia(map(reference(operation.get("requestBody")), "content")).isPresent();
    }

    /** The JSON media type entry of a content map: application/json, or another +json type. */
    private static Optional<Map<String, Object>> jsonMedia(Map<String, Object> content) {
        for (Map.Entry<String, Object> media : content.entrySet()) {
            String type = media.getKey().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if ((type.equals("application/json") || type.endsWith("+json")) && media.getValue() instanceof Map<?, ?>) {
                return Optional.of(map(content, media.getKey()));
            }
        }
        return Optional.empty();
    }

    /** The JSON object schema of the first 2xx answer, when there is one. */
    private Optional<Map<String, Object>> outputSchema(Map<String, Object> operation) throws OpenApiException {
        Map<String, Object> responses = map(operation, "responses");
        List<String> codes = responses.keySet().stream().filter(c -> c.matches("2(\\d\\d|XX)")).sorted().toList();
        if (codes.isEmpty()) {
            return Optional.empty();
        }
        Optional<Map<String, Object>> media = jsonMedia(map(reference(responses.get(codes.get(0))), "content"));
        if (media.isEmpty() || !media.get().containsKey("schema")) {
            return Optional.empty();
        }
        Map<String, Object> schema = SchemaTranslator.translate(document, media.get().get("schema"),
                SchemaTranslator.Direction.OUTPUT);
        if (!isObject(schema) || schema.get("type") instanceof List<?>) {
            return Optional.empty(); // MCP 2025-11-25 Tools: "Output Schema": an object schema
        }
        schema.put("type", "object");
        return Optional.of(schema);
    }

    private static boolean isObject(Map<String, Object> schema) {
        Object type = schema.get("type");
        return "object".equals(type) || type instanceof List<?> types && types.contains("object")
                || type == null && schema.containsKey("properties");
    }

    /**
     * The Kinde permissions: the extension's {@code permission}, else the scopes of the operation's security
     * requirements (or the document's): all scopes of one requirement, any requirement; an empty requirement
     * makes them optional.
     */
    private List<Set<String>> permissions(Map<String, Object> operation, Map<String, Object> marking)
            throws OpenApiException {
        Object named = marking.get("permission");
        if (named instanceof String one) {
            return List.of(Set.of(one));
        }
        if (named instanceof List<?> all) {
            Set<String> set = new LinkedHashSet<>();
            for (Object p : all) {
                if (!(p instanceof String s)) {
                    throw new OpenApiException("has an " + EXTENSION + " permission that is not a string");
                }
                set.add(s);
            }
            return set.isEmpty() ? List.of() : List.of(set);
        }
        if (named != null) {
            throw new OpenApiException("has an " + EXTENSION + " permission that is not a string or a list");
        }
        List<?> requirements = operation.containsKey("security") ? list(operation, "security")
                : list(document.root(), "security");
        List<Set<String>> alternatives = new ArrayList<>();
        for (Object requirement : requirements) {
            Set<String> scopes = new LinkedHashSet<>();
            if (requirement instanceof Map<?, ?> schemes) {
                for (Object value : schemes.values()) {
                    if (value instanceof List<?> names) {
                        names.forEach(n -> scopes.add(String.valueOf(n)));
                    }
                }
            }
            if (scopes.isEmpty()) {
                return List.of(); // an alternative without scopes: no permission needed
            }
            alternatives.add(scopes);
        }
        return alternatives;
    }

    /**
     * The base URL: the first server (of the operation, its path, or the document) whose origin is allowed,
     * resolved against the document's URL, with variables at their defaults. When no server names an allowed
     * origin (a document read from an internal endpoint names that endpoint), the first server's path on the
     * tool-API origin: the servers of a document never widen where the Kinde token goes.
     */
    private URI base(Map<String, Object> item, Map<String, Object> operation) throws OpenApiException {
        List<?> servers = list(operation, "servers");
        if (servers.isEmpty()) {
            servers = list(item, "servers");
        }
        if (servers.isEmpty()) {
            servers = list(document.root(), "servers");
        }
        List<URI> named = new ArrayList<>();
        for (Object server : servers) {
            String url = string(server, "url");
            if (url == null) {
                continue;
            }
            for (Map.Entry<String, Object> variable : map(server, "variables").entrySet()) {
                url = url.replace("{" + variable.getKey() + "}", String.valueOf(string(variable.getValue(), "default")));
            }
            try {
                URI against = document.source().getScheme().equals("file") ? toolApiOrigin : document.source();
                named.add(against.resolve(url));
            } catch (IllegalArgumentException e) {
                throw new OpenApiException("has a server URL that is not a URL: " + url);
            }
        }
        if (named.isEmpty()) {
            named.add(fallbackBase);
        }
        for (URI candidate : named) {
            if (candidate.isAbsolute() && origins.contains(ToolApiClient.origin(candidate)) && plain(candidate)) {
                return candidate;
            }
        }
        URI rebased = URI.create(toolApiOrigin + Optional.ofNullable(named.get(0).getRawPath()).orElse(""));
        if (!plain(rebased)) {
            throw new OpenApiException("has a server URL whose path is not plain: " + named.get(0));
        }
        return rebased;
    }

    private static boolean plain(URI base) {
        String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        return base.getRawQuery() == null && base.getRawFragment() == null && ToolApiClient.plainPath(path);
    }

    private static String description(Map<String, Object> operation, String verb, String path) {
        String summary = string(operation, "summary");
        String details = string(operation, "description");
        if (summary != null && details != null) {
            return summary.strip() + "\n\n" + details.strip();
        }
        if (summary != null || details != null) {
            return (summary != null ? summary : details).strip();
        }
        return "Calls " + verb + " " + path + ".";
    }

    private static Optional<String> text(Map<String, Object> marking, String key) throws OpenApiException {
        Object value = marking.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s) || s.isBlank()) {
            throw new OpenApiException("has an " + EXTENSION + " " + key + " that is not a non-empty string");
        }
        return Optional.of(s);
    }

    private static Optional<Boolean> flag(Map<String, Object> marking, String key) throws OpenApiException {
        Object value = marking.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Boolean b)) {
            throw new OpenApiException("has an " + EXTENSION + " " + key + " that is not true or false");
        }
        return Optional.of(b);
    }
}
