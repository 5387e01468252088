package dev.kindemcp.bridge.mcp;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One HTTP request a declared tool sends through {@link ToolApiClient#exchange}: method, absolute URL, the
 * operation's own header parameters, an optional JSON body, and the Kinde API audience the caller's token must
 * carry (when several Kinde APIs are configured). The checks here keep a tool's arguments from
 * forging a request: header names are RFC 9110 tokens, values have no control characters, and the headers the
 * client sets itself (credentials, framing, content negotiation) cannot be named.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-5.1">RFC 9110 §5.1 Field Names</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-5.5">RFC 9110 §5.5 Field Values</a>
 */
public record ApiRequest(String method, URI target, List<Map.Entry<String, String>> headers,
        Optional<String> jsonBody, Optional<String> audience) {

    private static final Pattern METHOD = Pattern.compile("GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
    /** Visible ASCII, space and tab; no CR, LF or other control characters, no non-ASCII. */
    private static final Pattern VALUE = Pattern.compile("[\\x20-\\x7E\\t]{0,8192}");
    /** Headers the client sets or that frame the message: a tool may never supply them. */
    static final Set<String> RESERVED = Set.of("authorization", "proxy-authorization", "cookie", "host", "accept",
            "content-type", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer",
            "keep-alive", "expect", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto");

    public ApiRequest {
        Objects.requireNonNull(method, "method must not be null");
        if (!METHOD.matcher(method).matches()) {
            throw new IllegalArgumentException("not a supported HTTP method: " + method);
        }
        Objects.requireNonNull(target, "target must not be null");
        if (!target.isAbsolute()) {
            throw new IllegalArgumentException("the target must be an absolute URL");
        }
        headers = List.copyOf(headers);
        for (Map.Entry<String, String> header : headers) {
            if (!headerNameAllowed(header.getKey())) {
                throw new IllegalArgumentException("header " + header.getKey() + " may not be set by a tool");
            }
            if (!VALUE.matcher(header.getValue()).matches()) {
                throw new IllegalArgumentException("the value of header " + header.getKey()
                        + " has characters a header may not carry");
            }
        }
        Objects.requireNonNull(jsonBody, "jsonBody must not be null");
        Objects.requireNonNull(audience, "audience must not be null");
    }

    /** A request to whichever Kinde API the caller's token is for. */
    public ApiRequest(String method, URI target, List<Map.Entry<String, String>> headers, Optional<String> jsonBody) {
        this(method, target, headers, jsonBody, Optional.empty());
    }

    /** Whether a tool may send a header of this name. */
    public static boolean headerNameAllowed(String name) {
        return name != null && TOKEN.matcher(name).matches() && !RESERVED.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Whether a header value can be sent as it is (visible ASCII, space, tab). */
    public static boolean headerValueAllowed(String value) {
        return value != null && VALUE.matcher(value).matches();
    }
}
