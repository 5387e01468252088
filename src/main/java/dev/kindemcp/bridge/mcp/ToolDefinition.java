package dev.kindemcp.bridge.mcp;

import dev.kindemcp.bridge.resource.Caller;
import dev.kindemcp.bridge.resource.UsersOnly;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One MCP tool read from an {@link McpTool} method: its name, description, JSON input schema, the scope and
 * Kinde permission it needs, and how tool-call arguments bind to the method's parameters.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool">MCP 2025-11-25 Tools: "Tool" (name, inputSchema, annotations)</a>
 */
public record ToolDefinition(String name, String title, String description, String scope,
        Optional<String> permission, boolean usersOnly, boolean readOnly, Map<String, Object> inputSchema,
        Class<?> beanClass, Method method, List<Binding> bindings) {

    /** MCP 2025-11-25 Tools: "Tool Names" (1 to 128 characters of A-Z a-z 0-9 _ - .). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    public ToolDefinition {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(title, "title must not be null");
        Objects.requireNonNull(description, "description must not be null");
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(permission, "permission must not be null");
        inputSchema = Map.copyOf(inputSchema);
        Objects.requireNonNull(beanClass, "beanClass must not be null");
        Objects.requireNonNull(method, "method must not be null");
        bindings = List.copyOf(bindings);
    }

    /** How one method parameter is filled: from the caller or from a named argument. */
    public record Binding(Optional<String> argument, Class<?> type, boolean required, int maxLength) {
        public Binding {
            Objects.requireNonNull(argument, "argument must not be null");
            Objects.requireNonNull(type, "type must not be null");
        }
    }

    /**
     * Reads a tool from an annotated method of {@code beanClass}.
     *
     * @param defaultScope the scope of tools that name none
     * @throws IllegalArgumentException when the method cannot be a tool (bad name, unsupported parameter type)
     */
    public static ToolDefinition of(Class<?> beanClass, Method method, String defaultScope) {
        McpTool tool = method.getAnnotation(McpTool.class);
        if (tool == null) {
            throw new IllegalArgumentException(method + " is not annotated with @McpTool");
        }
        String where = beanClass.getSimpleName() + "." + method.getName();
        if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
            throw new IllegalArgumentException(where + ": an MCP tool must be a public instance method");
        }
        String name = tool.name().isEmpty() ? method.getName() : tool.name();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": tool name '" + name + "' is not a valid MCP tool name");
        }
        if (tool.description().isBlank()) {
            throw new IllegalArgumentException(where + ": a tool needs a description");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        List<Binding> bindings = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            if (parameter.getType() == Caller.class) {
                bindings.add(new Binding(Optional.empty(), Caller.class, true, 0));
                continue;
            }
            ToolParam param = parameter.getAnnotation(ToolParam.class);
            if (param == null) {
                throw new IllegalArgumentException(where + ": parameter " + parameter.getName()
                        + " needs @ToolParam (or must be the Caller)");
            }
            String argument = param.name().isEmpty() ? parameter.getName() : param.name();
            if (!parameter.isNamePresent() && param.name().isEmpty()) {
                throw new IllegalArgumentException(where + ": compile with -parameters or name the @ToolParam");
            }
            Map<String, Object> schema = schema(parameter.getParameterizedType(), param, where);
            properties.put(argument, schema);
            boolean mandatory = param.required() || parameter.getType().isPrimitive();
            if (mandatory) {
                required.add(argument);
            }
            bindings.add(new Binding(Optional.of(argument), parameter.getType(), mandatory, param.maxLength()));
        }
        Map<String, Object> input = inputSchema(properties, required);
        boolean usersOnly = method.isAnnotationPresent(UsersOnly.class) || beanClass.isAnnotationPresent(UsersOnly.class);
        return new ToolDefinition(name, tool.title(), tool.description(),
                tool.scope().isEmpty() ? defaultScope : tool.scope(),
                Optional.of(tool.permission()).filter(p -> !p.isEmpty()), usersOnly, tool.readOnly(), input,
                beanClass, method, bindings);
    }

    /**
     * A tool's input schema: an object of these named arguments, {@code required} among them, and no others
     * (code-defined and declared tools alike).
     */
    public static Map<String, Object> inputSchema(Map<String, Object> properties, List<String> required) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("type", "object");
        input.put("properties", properties);
        if (!required.isEmpty()) {
            input.put("required", required);
        }
        input.put("additionalProperties", false);
        return input;
    }

    private static Map<String, Object> schema(Type type, ToolParam param, String where) {
        Map<String, Object> schema = new LinkedHashMap<>();
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            schema.put("type", "string");
            if (param.maxLength() > 0) {
                schema.put("maxLength", param.maxLength());
            }
        } else if (raw == boolean.class || raw == Boolean.class) {
            schema.put("type", "boolean");
        } else if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            schema.put("type", "integer");
        } else if (raw == double.class || raw == Double.class) {
            schema.put("type", "number");
        } else if (raw.isEnum()) {
            schema.put("type", "string");
            schema.put("enum", Arrays.stream(raw.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList());
        } else if (raw == List.class && type instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == String.class) {
            Map<String, Object> items = new LinkedHashMap<>();
            items.put("type", "string");
            if (param.maxLength() > 0) {
                items.put("maxLength", param.maxLength());
            }
            schema.put("type", "array");
            schema.put("items", items);
        } else {
            throw new IllegalArgumentException(where + ": parameter type " + type.getTypeName()
                    + " is not supported in a tool schema");
        }
        schema.put("description", param.description());
        return schema;
    }

    /**
     * The method's arguments from a tool call's arguments, or a {@link ToolException} naming what is wrong.
     */
    public Object[] arguments(Map<String, Object> supplied, Caller caller) {
        Map<String, Object> given = supplied == null ? Map.of() : supplied;
        for (String key : given.keySet()) {
            if (bindings.stream().noneMatch(b -> b.argument().map(key::equals).orElse(false))) {
                throw new ToolException("unknown argument '" + key + "' for tool " + name);
            }
        }
        Object[] values = new Object[bindings.size()];
        for (int i = 0; i < values.length; i++) {
            Binding binding = bindings.get(i);
            if (binding.argument().isEmpty()) {
                values[i] = caller;
                continue;
            }
            String argument = binding.argument().get();
            Object value = given.get(argument);
            if (value == null) {
                if (binding.required()) {
                    throw new ToolException("argument '" + argument + "' is required for tool " + name);
                }
                continue;
            }
            values[i] = convert(argument, value, binding);
        }
        return values;
    }

    private Object convert(String argument, Object value, Binding binding) {
        Class<?> type = binding.type();
        Object converted = null;
        if (type == String.class && value instanceof String text) {
            converted = text;
        } else if ((type == boolean.class || type == Boolean.class) && value instanceof Boolean) {
            converted = value;
        } else if (type == int.class || type == Integer.class) {
            converted = exactLong(value).filter(l -> l == l.intValue()).map(Long::intValue).orElse(null);
        } else if (type == long.class || type == Long.class) {
            converted = exactLong(value).orElse(null);
        } else if ((type == double.class || type == Double.class) && value instanceof Number n
                && Double.isFinite(n.doubleValue())) {
            converted = n.doubleValue();
        } else if (type.isEnum() && value instanceof String s) {
            converted = Arrays.stream(type.getEnumConstants()).filter(e -> ((Enum<?>) e).name().equals(s))
                    .findFirst().orElse(null);
        } else if (type == List.class && value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            converted = List.copyOf(list);
        }
        if (converted == null) {
            throw new ToolException("argument '" + argument + "' of tool " + name + " has the wrong type");
        }
        if (binding.maxLength() > 0 && (converted instanceof String text && text.length() > binding.maxLength()
                || converted instanceof List<?> list && list.stream().anyMatch(t -> ((String) t).length() > binding.maxLength()))) {
            throw new ToolException("argument '" + argument + "' of tool " + name + " is longer than "
                    + binding.maxLength() + " characters");
        }
        return converted;
    }

    /** A JSON number that is a whole number within the range of a long. */
    private static Optional<Long> exactLong(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Optional.of(((Number) value).longValue());
        }
        if (!(value instanceof Number)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new java.math.BigDecimal(value.toString()).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code caller} may call this tool as far as the Kinde identity goes (permission, person). */
    public boolean allowedFor(Caller caller) {
        return permission.map(caller::hasPermission).orElse(true) && !(usersOnly && caller.machine());
    }
}
