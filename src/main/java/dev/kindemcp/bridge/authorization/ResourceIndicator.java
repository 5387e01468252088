package dev.kindemcp.bridge.authorization;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Canonical form of a {@code resource} value, so that the spellings real clients send compare equal to the
 * MCP resource: scheme and host in lower case, default port dropped, a lone trailing slash dropped.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8707#section-2">RFC 8707 §2 Resource Parameter</a>
 */
public final class ResourceIndicator {

    private ResourceIndicator() {
    }

    /**
     * The canonical form, or empty when the value is not an absolute URI without a fragment (RFC 8707 §2:
     * MUST be absolute, MUST NOT include a fragment).
     */
    public static Optional<String> canonical(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!uri.isAbsolute() || uri.getRawFragment() != null || uri.getHost() == null
                || uri.getRawUserInfo() != null) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443)
                || (scheme.equals("http") && port == 80);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.equals("/")) {
            path = "";
        } else if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return Optional.of(scheme + "://" + host + (defaultPort ? "" : ":" + port) + path + query);
    }
}
