package dev.kindemcp.bridge.mcp;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a parameter of an {@link McpTool} method in the tool's JSON input schema. Supported types:
 * {@code String}, {@code boolean}, {@code int}, {@code long}, {@code double} (and their boxes), enums and
 * {@code List<String>}. A boxed or list parameter may be left out unless {@link #required()}.
 *
 * <p>Related specifications:
 * @see <a href="https://json-schema.org/draft/2020-12/json-schema-validation">JSON Schema 2020-12 Validation</a>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ToolParam {

    /** The argument name; the Java parameter name when empty. */
    String name() default "";

    String description();

    /** Primitives are always required. */
    boolean required() default true;

    /** Largest length of a string, or of each string of a list; 0 means no limit. */
    int maxLength() default 0;
}
