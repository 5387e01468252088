package dev.kindemcp.bridge.registration;

import com.nimbusds.oauth2.sdk.client.RegistrationError;
import dev.kindemcp.bridge.oauth.OAuthException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which redirect URIs a client may register, and whether a requested redirect URI matches a registered one:
 * https; http only on loopback hosts; private-use schemes only from the operator's allowlist; exact string
 * comparison everywhere except the port of loopback URIs.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-2.1">RFC 9700 §2.1 Protecting Redirect-Based Flows (exact matching)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8252#section-7.3">RFC 8252 §7.3 Loopback Interface Redirection</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8252#section-7.1">RFC 8252 §7.1 Private-Use URI Scheme Redirection</a>
 */
public final class RedirectUriPolicy {

    /** Longest redirect URI accepted. */
    static final int MAX_LENGTH = 2000;

    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]", "localhost");
    private static final Set<String> FORBIDDEN_SCHEMES = Set.of("javascript", "data", "vbscript", "file", "blob",
            "about", "ftp", "ws", "wss", "mailto", "jar", "view-source", "filesystem");

    private final Set<String> allowedPrivateUse;

    public RedirectUriPolicy(List<String> allowedPrivateUseRedirectUris) {
        this.allowedPrivateUse = Set.copyOf(allowedPrivateUseRedirectUris);
    }

    /** What kind of redirect a valid URI is. */
    public enum Kind {
        HTTPS, LOOPBACK, PRIVATE_USE
    }

    /**
     * Checks a redirect URI a client wants to register; returns its kind or throws
     * {@code invalid_redirect_uri}.
     */
    public Kind validateForRegistration(String raw) {
        Objects.requireNonNull(raw, "raw must not be null");
        if (raw.isEmpty() || raw.length() > MAX_LENGTH) {
            throw invalid("a redirect URI must have 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            // RFC 3986 §2: only printable ASCII; no spaces, controls or raw non-ASCII (IDN must be punycode)
            if (c <= 0x20 || c >= 0x7F || c == '\\' || c == '"' || c == '<' || c == '>' || c == '`') {
                throw invalid("redirect URIs must be printable ASCII without spaces, quotes or backslashes");
            }
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw invalid("a redirect URI is not a valid URI");
        }
        if (!uri.isAbsolute() || uri.getScheme() == null) {
            // OAuth 2.1 (draft-ietf-oauth-v2-1-13) §2.3.1: redirect URIs MUST be absolute
            throw invalid("a redirect URI must be absolute");
        }
        if (uri.getRawFragment() != null) {
            // OAuth 2.1 (draft-ietf-oauth-v2-1-13) §2.3.1: redirect URIs MUST NOT contain a fragment
            throw invalid("a redirect URI must not contain a fragment");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (FORBIDDEN_SCHEMES.contains(scheme)) {
            throw invalid("the '" + scheme + "' scheme is not allowed for redirect URIs");
        }
        if (scheme.equals("https") || scheme.equals("http")) {
            return validateWeb(raw, uri, scheme);
        }
        // RFC 8252 §7.1: private-use schemes; only the operator's exact URIs (e.g. Cursor's) are accepted
        if (allowedPrivateUse.contains(raw)) {
            return Kind.PRIVATE_USE;
        }
        throw invalid("private-use redirect URIs must be on the operator's allowlist");
    }

    private static Kind validateWeb(String raw, URI uri, String scheme) {
        if (!raw.startsWith(scheme + "://")) {
            throw invalid("http and https redirect URIs must be written in lower case scheme:// form");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() == null || uri.getRawAuthority().contains("@")) {
            throw invalid("a redirect URI must not contain user information");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty() || host.contains("*")) {
            throw invalid("a redirect URI must name a host, without wildcards");
        }
        if (!host.equals(host.toLowerCase(Locale.ROOT))) {
            throw invalid("redirect URI hosts must be lower case");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String lowerPath = path.toLowerCase(Locale.ROOT);
        if (lowerPath.contains("/../") || lowerPath.endsWith("/..") || lowerPath.contains("/./")
                || lowerPath.endsWith("/.") || lowerPath.contains("%2e") || lowerPath.contains("..;")
                || lowerPath.contains("%2f") || lowerPath.contains("%5c")) {
            throw invalid("a redirect URI must not contain dot segments or encoded separators");
        }
        boolean loopback = LOOPBACK_HOSTS.contains(uri.getRawAuthority().replaceFirst(":[0-9]*$", ""));
        if (scheme.equals("http")) {
            // RFC 8252 §8.3: plain http only for the loopback interface
            if (!loopback) {
                throw invalid("http redirect URIs are allowed only for 127.0.0.1, [::1] and localhost");
            }
            return Kind.LOOPBACK;
        }
        return Kind.HTTPS;
    }

    /**
     * Whether {@code requested} matches {@code registered}: exact string comparison, except that a loopback
     * http URI matches on any port.
     */
    public static boolean matches(String registered, String requested) {
        if (registered.equals(requested)) {
            return true;
        }
        LoopbackParts r = LoopbackParts.parse(registered);
        LoopbackParts q = LoopbackParts.parse(requested);
        // RFC 8252 §7.3: the port of a loopback redirect URI is chosen at request time
        return r != null && q != null && r.host().equals(q.host()) && r.rest().equals(q.rest());
    }

    /** Whether every one of the URIs is a loopback URI (the consent page warns about such clients). */
    public static boolean allLoopback(List<String> redirectUris) {
        return !redirectUris.isEmpty() && redirectUris.stream().allMatch(u -> LoopbackParts.parse(u) != null);
    }

    /** An http loopback URI split into its host and everything after the port. */
    private record LoopbackParts(String host, String rest) {
        static LoopbackParts parse(String uri) {
            if (!uri.startsWith("http://")) {
                return null;
            }
            String afterScheme = uri.substring("http://".length());
            int slash = afterScheme.indexOf('/');
            int query = afterScheme.indexOf('?');
            int end = slash < 0 ? (query < 0 ? afterScheme.length() : query)
                    : (query < 0 ? slash : Math.min(slash, query));
            String authority = afterScheme.substring(0, end);
            String host = authority.replaceFirst(":[0-9]{1,5}$", "");
            if (!LOOPBACK_HOSTS.contains(host) || host.length() != authority.length()
                    && !authority.substring(host.length()).matches(":[0-9]{1,5}")) {
                return null;
            }
            String rest = afterScheme.substring(end);
            return new LoopbackParts(host, rest.isEmpty() ? "/" : rest);
        }
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(RegistrationError.INVALID_REDIRECT_URI, description);
    }
}
