package dev.kindemcp.bridge.openapi;

import dev.kindemcp.bridge.mcp.ApiRequest;
import dev.kindemcp.bridge.mcp.ToolException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * How one OpenAPI operation turns a tool call's arguments into an HTTP request: path parameters are escaped
 * into their segment (every byte outside the unreserved set percent-encoded, so an argument can add neither a
 * segment nor a query), query parameters in the {@code form} style, header parameters in the {@code simple}
 * style with values a header may carry, and the JSON request body from the {@code body} argument.
 *
 * <p>Related specifications:
 * @see <a href="https://spec.openapis.org/oas/v3.1.0#style-values">OpenAPI 3.1.0 §4.8.12.4 Style Values</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3986#section-2.3">RFC 3986 §2.3 Unreserved Characters</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6570#section-3.2.2">RFC 6570 §3.2.2 Simple String Expansion</a>
 */
public record HttpOperation(String method, URI base, String pathTemplate, List<Parameter> parameters,
        Optional<Boolean> body, Optional<String> audience) {

    /** The argument that carries the JSON request body. */
    public static final String BODY = "body";

    private static final Pattern TEMPLATE = Pattern.compile("\\{([^{}/]+)}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Where a parameter goes. */
    public enum In { PATH, QUERY, HEADER }

    /**
     * One parameter.
     *
     * @param explode for a query array: one {@code name=value} pair per element (true) or one comma list
     */
    public record Parameter(String name, In in, boolean required, boolean explode) {
        public Parameter {
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(in, "in must not be null");
        }
    }

    /**
     * @param body     present when the operation takes a JSON body; its value says whether the body is required
     * @param audience the Kinde API audience the caller's token must carry to be sent (x-mcp-tool {@code audience})
     */
    public HttpOperation {
        Objects.requireNonNull(method, "method must not be null");
        Objects.requireNonNull(base, "base must not be null");
        Objects.requireNonNull(pathTemplate, "pathTemplate must not be null");
        parameters = List.copyOf(parameters);
        Objects.requireNonNull(body, "body must not be null");
        Objects.requireNonNull(audience, "audience must not be null");
    }

    /** An operation of whichever Kinde API the caller's token is for. */
    public HttpOperation(String method, URI base, String pathTemplate, List<Parameter> parameters,
            Optional<Boolean> body) {
        this(method, base, pathTemplate, parameters, body, Optional.empty());
    }

    /** The names in {@code {...}} of a path template. */
    static List<String> templateNames(String template) {
        List<String> names = new ArrayList<>();
        Matcher m = TEMPLATE.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * The request for {@code arguments} (already checked against the tool's input schema).
     *
     * @throws ToolException when a value cannot be sent as the operation asks (a path argument that is empty or
     *                       a dot segment, a header value with line breaks, an object where a plain value goes)
     */
    public ApiRequest build(Map<String, Object> arguments) {
        StringBuilder path = new StringBuilder();
        Matcher m = TEMPLATE.matcher(pathTemplate);
        int last = 0;
        while (m.find()) {
            path.append(pathTemplate, last, m.start());
            String name = m.group(1);
            Object value = arguments.get(name);
            if (value == null) {
                throw new ToolException("argument '" + name + "' is required");
            }
            String text = simple(name, value);
            if (text.isEmpty() || text.equals(".") || text.equals("..") || text.contains("/") || text.contains("\\")) {
                throw new ToolException("argument '" + name + "' is part of the URL path: it cannot be empty, '.' or "
                        + "'..', or contain '/' or '\\'");
            }
            path.append(encode(text));
            last = m.end();
        }
        path.append(pathTemplate.substring(last));
        StringBuilder query = new StringBuilder();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Parameter parameter : parameters) {
            Object value = arguments.get(parameter.name());
            if (value == null) {
                if (parameter.required()) {
                    throw new ToolException("argument '" + parameter.name() + "' is required");
                }
                continue;
            }
            if (parameter.in() == In.QUERY) {
                List<String> values = value instanceof List<?> list && parameter.explode()
                        ? list.stream().map(v -> plain(parameter.name(), v)).toList()
                        : List.of(simple(parameter.name(), value));
                for (String v : values) {
                    query.append(query.isEmpty() ? "" : "&").append(encode(parameter.name())).append('=').append(encode(v));
                }
            } else if (parameter.in() == In.HEADER) {
                String v = simple(parameter.name(), value);
                if (!ApiRequest.headerValueAllowed(v)) {
                    throw new ToolException("argument '" + parameter.name() + "' has characters a header cannot carry "
                            + "(line breaks, control characters or non-ASCII)");
                }
                headers.add(Map.entry(parameter.name(), v));
            }
        }
        Optional<String> json = Optional.empty();
        if (body.isPresent()) {
            Object value = arguments.get(BODY);
            if (value == null && body.get()) {
                throw new ToolException("argument 'body' is required");
            }
            json = value == null ? Optional.empty() : Optional.of(JSON.writeValueAsString(value));
        }
        String target = base.toString().replaceAll("/+$", "") + path + (query.isEmpty() ? "" : "?" + query);
        return new ApiRequest(method, URI.create(target), headers, json, audience);
    }

    /** A plain value, or an array of plain values joined with commas (style simple, and form without explode). */
    private static String simple(String name, Object value) {
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object v : list) {
                parts.add(plain(name, v));
            }
            return String.join(",", parts);
        }
        return plain(name, value);
    }

    private static String plain(String name, Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof java.math.BigInteger) {
            return value.toString();
        }
        if (value instanceof Number number) {
            BigDecimal decimal = new BigDecimal(number.toString()).stripTrailingZeros();
            return decimal.scale() <= 0 ? decimal.toBigInteger().toString() : decimal.toPlainString();
        }
        throw new ToolException("argument '" + name + "' must be a string, number, boolean or a list of them");
    }

    /** Percent-encodes every UTF-8 byte outside RFC 3986's unreserved characters. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
