package dev.kindemcp.bridge.registration;

import dev.kindemcp.bridge.oauth.OAuthException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks that a client_id is a URL the bridge may fetch as a Client ID Metadata Document, before any name
 * lookup: https, absolute, a path other than {@code /}, no dot segments, no fragment, no user info, and an
 * ASCII DNS name as host (no IP literal).
 *
 * <p>Related specifications:
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-3">CIMD draft-00 §3 Client Identifier</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3986#section-3">RFC 3986 §3 Syntax Components</a>
 * @see <a href="https://url.spec.whatwg.org/#concept-ipv4-parser">WHATWG URL: IPv4 parser (numeric hosts)</a>
 */
final class ClientIdUrlValidator {

    /** Longer client_ids are refused before parsing. */
    static final int MAX_LENGTH = 2048;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    /** A last label that a URL parser would read as part of an IPv4 address (decimal, octal or hex). */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("(?i)[0-9]+|0x[0-9a-f]*");
    private static final Pattern ENCODED_DOT = Pattern.compile("(?i)%2e");

    private ClientIdUrlValidator() {
    }

    /** The parsed URL of {@code clientId}, or a rejection that says which rule it breaks. */
    static URI validate(String clientId) throws CimdException {
        if (clientId == null || clientId.isEmpty()) {
            throw invalid("it is empty", clientId);
        }
        if (clientId.length() > MAX_LENGTH) {
            throw invalid("it is longer than " + MAX_LENGTH + " characters", clientId);
        }
        for (int i = 0; i < clientId.length(); i++) {
            char c = clientId.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                throw invalid("it contains a character that is not printable ASCII", clientId);
            }
        }
        URI url;
        try {
            url = new URI(clientId);
        } catch (URISyntaxException e) {
            throw invalid("it is not a URL", clientId);
        }
        // CIMD draft-00 §3: client identifier URLs MUST have an "https" scheme
        if (!"https".equals(url.getScheme())) {
            throw invalid("it must use the https scheme", clientId);
        }
        if (url.isOpaque() || url.getRawAuthority() == null) {
            throw invalid("it must be an absolute URL with a host", clientId);
        }
        // CIMD draft-00 §3: MUST NOT contain a username or password
        if (url.getRawUserInfo() != null || url.getRawAuthority().contains("@")) {
            throw invalid("it must not contain user information", clientId);
        }
        // CIMD draft-00 §3: MUST NOT contain a fragment component
        if (url.getRawFragment() != null) {
            throw invalid("it must not contain a fragment", clientId);
        }
        checkHost(url.getHost() != null ? url.getHost() : hostOf(url.getRawAuthority()), clientId);
        if (url.getHost() == null) {
            throw invalid("its host is not a valid DNS name", clientId);
        }
        if (url.getPort() == 0 || url.getPort() > 65535) {
            throw invalid("its port is out of range", clientId);
        }
        checkPath(url.getRawPath(), clientId);
        return url;
    }

    /** The host as shown on the consent page: the client_id's DNS name in lower case. */
    static String displayHost(URI url) {
        return url.getHost().toLowerCase(Locale.ROOT);
    }

    /** The host part of an authority that {@link URI} did not read as a server name, for a precise message. */
    private static String hostOf(String authority) {
        int colon = authority.lastIndexOf(':');
        boolean port = colon > authority.lastIndexOf(']')
                && authority.substring(colon + 1).chars().allMatch(Character::isDigit);
        return port ? authority.substring(0, colon) : authority;
    }

    private static void checkHost(String host, String clientId) throws CimdException {
        if (host == null || host.isEmpty()) {
            throw invalid("it must have a DNS host name", clientId);
        }
        if (host.startsWith("[")) {
            throw invalid("its host must be a DNS name, not an IP address", clientId);
        }
        if (host.length() > 253 || host.endsWith(".")) {
            throw invalid("its host is not a valid DNS name", clientId);
        }
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) {
            throw invalid("its host must be a fully qualified DNS name", clientId);
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw invalid("its host is not a valid ASCII DNS name", clientId);
            }
        }
        if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
            throw invalid("its host must be a DNS name, not an IP address", clientId);
        }
    }

    private static void checkPath(String rawPath, String clientId) throws CimdException {
        // CIMD draft-00 §3: client identifier URLs MUST contain a path component
        if (rawPath == null || rawPath.isEmpty() || "/".equals(rawPath)) {
            throw invalid("it must contain a path", clientId);
        }
        // CIMD draft-00 §3: MUST NOT contain single-dot or double-dot path segments (encoded ones included)
        for (String segment : rawPath.split("/", -1)) {
            String decoded = ENCODED_DOT.matcher(segment).replaceAll(".");
            if (".".equals(decoded) || "..".equals(decoded)) {
                throw invalid("its path must not contain dot segments", clientId);
            }
        }
    }

    private static CimdException invalid(String reason, String clientId) {
        return CimdException.rejected("client_id is not a valid client metadata document URL: " + reason,
                "rejected client_id " + OAuthException.wireSafe(clientId));
    }
}
