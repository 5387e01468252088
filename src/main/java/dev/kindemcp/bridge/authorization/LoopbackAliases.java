package dev.kindemcp.bridge.authorization;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A bridge whose issuer is on a loopback host (the run command's {@code http://localhost:9080}) is also reached
 * as {@code 127.0.0.1} or {@code [::1]}. The login's browser cookies belong to the host name the browser used,
 * and Kinde returns to the issuer's host, so a login started on another loopback name would lose its cookie:
 * such a request is sent to the same path on the issuer's own host first. Other hosts are never redirected
 * (the issuer is never taken from request headers).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6265#section-5.1.3">RFC 6265 §5.1.3 Domain Matching (cookies belong to a host name)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8252#section-8.3">RFC 8252 §8.3 Loopback Redirect Considerations</a>
 */
final class LoopbackAliases {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private LoopbackAliases() {
    }

    /** The request's path and query on the issuer's host, when the request came by another loopback name. */
    static Optional<URI> atIssuerHost(URI issuer, URI request) {
        String issuerHost = host(issuer);
        String requestHost = host(request);
        if (!LOOPBACK.contains(issuerHost) || !LOOPBACK.contains(requestHost) || issuerHost.equals(requestHost)
                || port(issuer) != port(request)) {
            return Optional.empty();
        }
        String query = request.getRawQuery() == null ? "" : "?" + request.getRawQuery();
        String path = request.getRawPath() == null ? "" : request.getRawPath();
        return Optional.of(URI.create(issuer.getScheme() + "://" + issuer.getRawAuthority() + path + query));
    }

    private static String host(URI uri) {
        return uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
