package dev.kindemcp.bridge.config;

/**
 * A configuration value that is missing or wrong; its message is one line naming the property and the problem.
 *
 * <p>Related specifications:
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-config-3.1/microprofile-config-spec-3.1.html">MicroProfile Config 3.1</a>
 */
public final class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;

    public ConfigurationException(String property, String problem) {
        // no stack trace: the message is the whole report, and logs show it as one line
        super("kinde-mcp-bridge configuration error: " + property + " (" + envName(property) + "): " + problem,
                null, false, false);
        this.property = property;
    }

    /** The MicroProfile Config property that is wrong. */
    public String property() {
        return property;
    }

    /** The environment variable that sets a property, by the MicroProfile Config mapping rules. */
    public static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }
}
