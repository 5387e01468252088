package dev.kindemcp.bridge.config;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns raw configuration values into a validated {@link BridgeConfig}, or fails with one
 * {@link ConfigurationException} naming the first wrong property.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-2">RFC 8414 §2 (issuer: https, no query, no fragment)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8252#section-8.3">RFC 8252 §8.3 Loopback Redirect Considerations</a>
 */
public final class BridgeConfigParser {

    public static final String DEV_MODE = "bridge.dev-mode";
    public static final String ISSUER = "bridge.issuer";
    /** The origin where tools reach the in-house tool APIs; the issuer (this server) by default. */
    public static final String TOOL_API_URL = "bridge.tool-api-url";
    public static final String MASTER_KEY = "bridge.master-key";
    public static final String ADDITIONAL_MASTER_KEYS = "bridge.additional-master-keys";
    public static final String OPERATOR_PERMISSION = "bridge.operator-permission";
    public static final String ACCESS_TOKEN_LIFETIME = "bridge.access-token-lifetime";
    public static final String SIGNING_ALGORITHM = "bridge.signing-algorithm";
    public static final String KEY_ROTATION_PERIOD = "bridge.key-rotation-period";
    public static final String SCOPES = "bridge.scopes";
    public static final String DEFAULT_SCOPES = "bridge.default-scopes";
    public static final String REGISTRATION_MAX_REQUEST_BYTES = "bridge.registration.max-request-bytes";
    public static final String REGISTRATION_RATE_PER_MINUTE = "bridge.registration.rate-per-minute";
    public static final String REGISTRATION_INITIAL_ACCESS_TOKEN = "bridge.registration.initial-access-token";
    public static final String REGISTRATION_PRIVATE_USE_REDIRECT_URIS = "bridge.registration.private-use-redirect-uris";
    public static final String REGISTRATION_UNUSED_CLIENT_LIFETIME = "bridge.registration.unused-client-lifetime";
    public static final String REGISTRATION_OPEN_CLIENT_SCOPES = "bridge.registration.open-client-scopes";
    public static final String TRUSTED_PROXIES = "bridge.trusted-proxies";
    public static final String ADMIN_TOKEN = "bridge.admin-token";
    public static final String REFRESH_IDLE_LIFETIME = "bridge.refresh-token.idle-lifetime";
    public static final String REFRESH_ABSOLUTE_LIFETIME = "bridge.refresh-token.absolute-lifetime";
    public static final String REFRESH_REUSE_GRACE = "bridge.refresh-token.reuse-grace";
    public static final String CLIENT_AUTH_FAILURES_PER_MINUTE = "bridge.client-authentication.failures-per-minute";
    public static final String OPENAPI_DOCUMENTS = "bridge.openapi.documents";
    public static final String OPENAPI_OPERATIONS = "bridge.openapi.operations";
    public static final String OPENAPI_ORIGINS = "bridge.openapi.origins";
    public static final String OPENAPI_REFRESH_INTERVAL = "bridge.openapi.refresh-interval";
    public static final String OPENAPI_READ_SCOPE = "bridge.openapi.read-scope";
    public static final String OPENAPI_WRITE_SCOPE = "bridge.openapi.write-scope";
    public static final String KINDE_DOMAIN = "kinde.domain";
    /** The run command's defaults for the local development provider (src/dev/liberty), never valid at Kinde. */
    static final String DEV_KINDE_CLIENT_ID = "dev-bridge";
    static final String DEV_KINDE_CLIENT_SECRET = "dev-bridge-secret";
    static final String DEV_KINDE_AUDIENCE = "https://notes.api.example";
    public static final String KINDE_CLIENT_ID = "kinde.client-id";
    public static final String KINDE_CLIENT_SECRET = "kinde.client-secret";
    public static final String KINDE_AUDIENCE = "kinde.audience";
    public static final String KINDE_ADDITIONAL_ISSUERS = "kinde.additional-issuers";
    public static final String KINDE_ALLOWED_ORG_CODES = "kinde.allowed-org-codes";
    public static final String KINDE_CONNECT_TIMEOUT = "kinde.connect-timeout";
    public static final String KINDE_READ_TIMEOUT = "kinde.read-timeout";

    /** Every property the bridge reads; nothing else in the code reads MicroProfile Config. */
    public static final List<String> PROPERTIES = List.of(DEV_MODE, ISSUER, MASTER_KEY, ADDITIONAL_MASTER_KEYS,
            OPERATOR_PERMISSION,
            ACCESS_TOKEN_LIFETIME, SIGNING_ALGORITHM, KEY_ROTATION_PERIOD, SCOPES, DEFAULT_SCOPES, REGISTRATION_MAX_REQUEST_BYTES,
            REGISTRATION_RATE_PER_MINUTE, REGISTRATION_INITIAL_ACCESS_TOKEN, REGISTRATION_PRIVATE_USE_REDIRECT_URIS,
            REGISTRATION_UNUSED_CLIENT_LIFETIME, REGISTRATION_OPEN_CLIENT_SCOPES, TRUSTED_PROXIES, ADMIN_TOKEN,
            REFRESH_IDLE_LIFETIME, REFRESH_ABSOLUTE_LIFETIME, REFRESH_REUSE_GRACE, CLIENT_AUTH_FAILURES_PER_MINUTE,
            TOOL_API_URL, OPENAPI_DOCUMENTS,
            OPENAPI_OPERATIONS, OPENAPI_ORIGINS, OPENAPI_REFRESH_INTERVAL, OPENAPI_READ_SCOPE, OPENAPI_WRITE_SCOPE,
            KINDE_DOMAIN,
            KINDE_CLIENT_ID, KINDE_CLIENT_SECRET, KINDE_AUDIENCE, KINDE_ALLOWED_ORG_CODES, KINDE_CONNECT_TIMEOUT,
            KINDE_READ_TIMEOUT);

    static final String DEV_ISSUER = "http://localhost:9080";
    /** Cursor's private-use callback (spec-requirements.md §3c quirk 5). */
    static final String DEFAULT_PRIVATE_USE_REDIRECT_URIS = "cursor://anysphere.cursor-mcp/oauth/callback";
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final Pattern ORG_CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Function<String, Optional<String>> source;

    private BridgeConfigParser(Function<String, Optional<String>> source) {
        this.source = name -> source.apply(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** Parses and validates the configuration; {@code source} answers a property name with its raw value. */
    public static BridgeConfig parse(Function<String, Optional<String>> source) {
        return new BridgeConfigParser(source).parse();
    }

    private BridgeConfig parse() {
        boolean devMode = bool(DEV_MODE, false);
        URI issuer = origin(ISSUER, value(ISSUER).orElseGet(() -> {
            if (!devMode) {
                throw new ConfigurationException(ISSUER, "is required (the public https origin of the bridge)");
            }
            return DEV_ISSUER;
        }));
        Optional<SecretKey> configuredKey = value(MASTER_KEY).map(encoded -> masterKey(MASTER_KEY, encoded));
        if (configuredKey.isEmpty() && !devMode) {
            throw new ConfigurationException(MASTER_KEY, "is required outside dev mode (base64 of 32 random bytes)");
        }
        Duration accessTokenLifetime = duration(ACCESS_TOKEN_LIFETIME, Duration.ofMinutes(10),
                Duration.ofMinutes(1), Duration.ofHours(24));
        Duration rotationPeriod = duration(KEY_ROTATION_PERIOD, Duration.ofDays(30), Duration.ofHours(1),
                Duration.ofDays(365));
        if (rotationPeriod.compareTo(accessTokenLifetime.multipliedBy(4)) < 0) {
            throw new ConfigurationException(KEY_ROTATION_PERIOD,
                    "must be at least four access-token lifetimes (" + accessTokenLifetime.multipliedBy(4) + ")");
        }
        List<String> scopes = scopes(SCOPES, "mcp:read mcp:write");
        List<String> defaultScopes = scopes(DEFAULT_SCOPES, "mcp:read");
        if (!scopes.containsAll(defaultScopes)) {
            throw new ConfigurationException(DEFAULT_SCOPES, "must be a subset of " + SCOPES + " " + scopes);
        }
        URI toolApi = value(TOOL_API_URL).map(raw -> origin(TOOL_API_URL, raw)).orElse(issuer);
        SecretKey masterKey = configuredKey.orElseGet(BridgeConfigParser::devMasterKey);
        return new BridgeConfig(issuer, devMode, masterKey, configuredKey.isEmpty(), additionalMasterKeys(masterKey),
                kinde(devMode), accessTokenLifetime, signingAlgorithm(), rotationPeriod,
                scopes, defaultScopes, registration(scopes), tokens(), toolApi, openApi(toolApi, scopes, defaultScopes),
                operatorPermission());
    }

    private static final Pattern OPERATION_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private OpenApiSettings openApi(URI toolApi, List<String> scopes, List<String> defaultScopes) {
        List<URI> documents = list(OPENAPI_DOCUMENTS).stream().map(raw -> document(toolApi, raw)).distinct().toList();
        List<String> operations = list(OPENAPI_OPERATIONS);
        for (String operation : operations) {
            if (!OPERATION_ID.matcher(operation).matches()) {
                throw new ConfigurationException(OPENAPI_OPERATIONS, "'" + operation + "' is not an operationId that "
                        + "can name an MCP tool (1 to 128 of A-Z a-z 0-9 _ - .)");
            }
        }
        List<URI> origins = list(OPENAPI_ORIGINS).stream().map(raw -> origin(OPENAPI_ORIGINS, raw)).distinct().toList();
        Duration refresh = duration(OPENAPI_REFRESH_INTERVAL, Duration.ofMinutes(1), Duration.ZERO, Duration.ofDays(1));
        if (!refresh.isZero() && refresh.compareTo(Duration.ofSeconds(5)) < 0) {
            throw new ConfigurationException(OPENAPI_REFRESH_INTERVAL, "must be PT0S (off) or at least PT5S, not " + refresh);
        }
        String read = value(OPENAPI_READ_SCOPE).orElse(defaultScopes.get(0));
        String write = value(OPENAPI_WRITE_SCOPE).orElse(scopes.contains("mcp:write") ? "mcp:write" : read);
        for (var scope : List.of(Map.entry(OPENAPI_READ_SCOPE, read), Map.entry(OPENAPI_WRITE_SCOPE, write))) {
            if (!scopes.contains(scope.getValue())) {
                throw new ConfigurationException(scope.getKey(), "must be one of " + SCOPES + " " + scopes);
            }
        }
        return new OpenApiSettings(documents, new LinkedHashSet<>(operations), origins, refresh, read, write);
    }

    private List<String> list(String name) {
        return Arrays.stream(value(name).orElse("").split("[\\s,]+")).filter(v -> !v.isEmpty()).distinct().toList();
    }

    /**
     * An OpenAPI document: a path on the tool-API origin ({@code /openapi}), an https URL (http for loopback
     * hosts), or a {@code file:} URL of an absolute path.
     */
    static URI document(URI toolApi, String raw) {
        URI uri;
        try {
            uri = raw.startsWith("/") ? new URI(toolApi + raw) : new URI(raw);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(OPENAPI_DOCUMENTS, "'" + raw + "' is not a valid URL or path");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            if (uri.getRawAuthority() != null || uri.getRawPath() == null || !uri.getRawPath().startsWith("/")) {
                throw new ConfigurationException(OPENAPI_DOCUMENTS, "'" + raw + "' must be file: with an absolute path");
            }
            return uri.normalize();
        }
        URI origin = origin(OPENAPI_DOCUMENTS, scheme + "://" + uri.getRawAuthority());
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null || uri.getRawPath() == null
                || uri.getRawPath().contains("/..") || uri.getRawPath().contains("/./")) {
            throw new ConfigurationException(OPENAPI_DOCUMENTS, "'" + raw + "' must be a plain URL (no user info, "
                    + "fragment or dot segments)");
        }
        return URI.create(origin + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    private TokenSettings tokens() {
        Duration idle = duration(REFRESH_IDLE_LIFETIME, Duration.ofDays(7), Duration.ofSeconds(10), Duration.ofDays(365));
        Duration absolute = duration(REFRESH_ABSOLUTE_LIFETIME, Duration.ofDays(30), Duration.ofSeconds(10),
                Duration.ofDays(3650));
        if (absolute.compareTo(idle) < 0) {
            throw new ConfigurationException(REFRESH_ABSOLUTE_LIFETIME, "must not be shorter than " + REFRESH_IDLE_LIFETIME);
        }
        Duration grace = duration(REFRESH_REUSE_GRACE, Duration.ofSeconds(30), Duration.ZERO, Duration.ofMinutes(5));
        int failures = integer(CLIENT_AUTH_FAILURES_PER_MINUTE, 10, 1, 1_000_000);
        return new TokenSettings(idle, absolute, grace, failures);
    }

    private RegistrationSettings registration(List<String> scopes) {
        int maxBytes = integer(REGISTRATION_MAX_REQUEST_BYTES, 512 * 1024, 1024, 4 * 1024 * 1024);
        int rate = integer(REGISTRATION_RATE_PER_MINUTE, 20, 1, 1_000_000);
        List<String> privateUse = Arrays.stream(value(REGISTRATION_PRIVATE_USE_REDIRECT_URIS)
                        .orElse(DEFAULT_PRIVATE_USE_REDIRECT_URIS).split("[\\s,]+"))
                .filter(s -> !s.isEmpty()).distinct().toList();
        for (String uri : privateUse) {
            int colon = uri.indexOf(':');
            String scheme = colon > 0 ? uri.substring(0, colon).toLowerCase(Locale.ROOT) : "";
            if (!scheme.matches("[a-z][a-z0-9+.-]*") || scheme.equals("http") || scheme.equals("https")
                    || scheme.equals("javascript") || scheme.equals("data") || scheme.equals("file")
                    || scheme.equals("vbscript") || scheme.equals("blob")) {
                throw new ConfigurationException(REGISTRATION_PRIVATE_USE_REDIRECT_URIS,
                        "'" + uri + "' is not a private-use scheme redirect URI (RFC 8252 §7.1)");
            }
        }
        Duration unused = duration(REGISTRATION_UNUSED_CLIENT_LIFETIME, Duration.ofDays(30), Duration.ofHours(1),
                Duration.ofDays(3650));
        List<String> proxies = Arrays.stream(value(TRUSTED_PROXIES).orElse("").split("[\\s,]+"))
                .filter(s -> !s.isEmpty()).toList();
        for (String proxy : proxies) {
            if (!proxy.matches("[0-9a-fA-F:.]+(/[0-9]{1,3})?")) {
                throw new ConfigurationException(TRUSTED_PROXIES, "'" + proxy + "' is not an IP address or CIDR");
            }
        }
        Optional<String> adminToken = value(ADMIN_TOKEN);
        if (adminToken.isPresent() && adminToken.get().length() < 32) {
            throw new ConfigurationException(ADMIN_TOKEN, "must have at least 32 characters (e.g. openssl rand -hex 32)");
        }
        List<String> openScopes = scopes(REGISTRATION_OPEN_CLIENT_SCOPES, String.join(" ", scopes));
        if (!scopes.containsAll(openScopes)) {
            throw new ConfigurationException(REGISTRATION_OPEN_CLIENT_SCOPES,
                    "must be a subset of " + SCOPES + " " + scopes);
        }
        return new RegistrationSettings(maxBytes, rate, value(REGISTRATION_INITIAL_ACCESS_TOKEN), privateUse,
                unused, proxies, adminToken, openScopes);
    }

    private int integer(String name, int fallback, int min, int max) {
        int v = value(name).map(raw -> {
            try {
                return Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new ConfigurationException(name, "must be a whole number, not '" + raw + "'");
            }
        }).orElse(fallback);
        if (v < min || v > max) {
            throw new ConfigurationException(name, "must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }

    private Optional<KindeSettings> kinde(boolean devMode) {
        Optional<String> domain = value(KINDE_DOMAIN);
        Optional<String> clientId = value(KINDE_CLIENT_ID);
        Optional<String> clientSecret = value(KINDE_CLIENT_SECRET);
        if (domain.isEmpty() && clientId.isEmpty() && clientSecret.isEmpty() && devMode) {
            return Optional.empty();
        }
        String suffix = devMode ? " (a Kinde setting is present)" : " outside dev mode";
        URI kindeDomain = origin(KINDE_DOMAIN, domain.orElseThrow(
                () -> new ConfigurationException(KINDE_DOMAIN, "is required" + suffix + ", e.g. https://yourapp.kinde.com")));
        String id = clientId.orElseThrow(() -> new ConfigurationException(KINDE_CLIENT_ID, "is required" + suffix));
        String secret = clientSecret.orElseThrow(
                () -> new ConfigurationException(KINDE_CLIENT_SECRET, "is required" + suffix));
        rejectDevelopmentDefaults(kindeDomain, id, secret);
        Set<String> orgCodes = new LinkedHashSet<>();
        value(KINDE_ALLOWED_ORG_CODES).ifPresent(list -> Arrays.stream(list.split(","))
                .map(String::trim).filter(code -> !code.isEmpty()).forEach(code -> {
                    if (!ORG_CODE.matcher(code).matches()) {
                        throw new ConfigurationException(KINDE_ALLOWED_ORG_CODES, "'" + code + "' is not a Kinde org code");
                    }
                    orgCodes.add(code);
                }));
        Duration connect = duration(KINDE_CONNECT_TIMEOUT, Duration.ofSeconds(2), Duration.ofMillis(100),
                Duration.ofSeconds(30));
        Duration read = duration(KINDE_READ_TIMEOUT, Duration.ofSeconds(5), Duration.ofMillis(100),
                Duration.ofSeconds(60));
        return Optional.of(new KindeSettings(kindeDomain, id, secret, audiences(), additionalIssuers(this::value),
                orgCodes, connect, read));
    }

    /**
     * {@code kinde.additional-issuers}: the other domains of the same Kinde business whose tokens are accepted
     * (a custom domain, or the kinde.com subdomain), each an origin normalised like {@code kinde.domain}.
     */
    static List<String> additionalIssuers(Function<String, Optional<String>> values) {
        return Arrays.stream(values.apply(KINDE_ADDITIONAL_ISSUERS).map(String::trim).orElse("").split("[\\s,]+"))
                .filter(v -> !v.isEmpty()).map(v -> origin(KINDE_ADDITIONAL_ISSUERS, v).toString()).distinct()
                .toList();
    }

    private List<String> audiences() {
        return audiences(this::value);
    }

    /** {@code kinde.audience}: one or more Kinde API audiences, separated by commas or spaces. */
    static List<String> audiences(Function<String, Optional<String>> values) {
        List<String> audiences = Arrays.stream(values.apply(KINDE_AUDIENCE).map(String::trim).orElse("")
                .split("[\\s,]+"))
                .filter(a -> !a.isEmpty()).distinct().toList();
        for (String audience : audiences) {
            if (audience.length() > 2000 || audience.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new ConfigurationException(KINDE_AUDIENCE, "'" + audience + "' is not a usable audience");
            }
        }
        return audiences;
    }

    /**
     * The run command's defaults name the local development provider's public client and demo API. With a real
     * Kinde domain they would fail at Kinde's login page: the bridge's own Kinde application must be set.
     */
    private void rejectDevelopmentDefaults(URI kindeDomain, String id, String secret) {
        if (isLoopback(kindeDomain.getHost())) {
            return;
        }
        String real = "is required with a Kinde domain other than the local development provider: set the ";
        if (DEV_KINDE_CLIENT_ID.equals(id)) {
            throw new ConfigurationException(KINDE_CLIENT_ID, real + "client id of your Kinde back-end application ('"
                    + DEV_KINDE_CLIENT_ID + "' is the local provider's)");
        }
        if (DEV_KINDE_CLIENT_SECRET.equals(secret)) {
            throw new ConfigurationException(KINDE_CLIENT_SECRET, real + "client secret of your Kinde back-end "
                    + "application");
        }
        if (audiences().contains(DEV_KINDE_AUDIENCE)) {
            throw new ConfigurationException(KINDE_AUDIENCE, real + "audience of your Kinde API ('"
                    + DEV_KINDE_AUDIENCE + "' is the local provider's demo API)");
        }
    }

    private JWSAlgorithm signingAlgorithm() {
        String name = value(SIGNING_ALGORITHM).orElse("RS256");
        if (name.equals("RS256")) {
            return JWSAlgorithm.RS256;
        }
        if (name.equals("ES256")) {
            return JWSAlgorithm.ES256;
        }
        throw new ConfigurationException(SIGNING_ALGORITHM, "must be RS256 or ES256, not '" + name + "'");
    }

    private Optional<String> value(String name) {
        return source.apply(name);
    }

    private boolean bool(String name, boolean fallback) {
        return value(name).map(v -> {
            if (v.equalsIgnoreCase("true")) {
                return true;
            }
            if (v.equalsIgnoreCase("false")) {
                return false;
            }
            throw new ConfigurationException(name, "must be true or false, not '" + v + "'");
        }).orElse(fallback);
    }

    private Duration duration(String name, Duration fallback, Duration min, Duration max) {
        Duration d = value(name).map(v -> {
            try {
                return Duration.parse(v);
            } catch (DateTimeParseException e) {
                throw new ConfigurationException(name, "must be an ISO-8601 duration such as PT10M, not '" + v + "'");
            }
        }).orElse(fallback);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigurationException(name, "must be between " + min + " and " + max + ", not " + d);
        }
        return d;
    }

    private List<String> scopes(String name, String fallback) {
        List<String> scopes = Arrays.stream(value(name).orElse(fallback).split("[\\s,]+"))
                .filter(s -> !s.isEmpty()).distinct().toList();
        for (String scope : scopes) {
            if (!SCOPE_TOKEN.matcher(scope).matches()) {
                throw new ConfigurationException(name, "'" + scope + "' is not a valid scope token (RFC 6749 §3.3)");
            }
            if (scope.equals("offline_access")) {
                // MCP 2026-07-28 Authorization: "Refresh Tokens": offline_access SHOULD NOT be advertised
                throw new ConfigurationException(name, "must not contain offline_access");
            }
        }
        if (scopes.isEmpty()) {
            throw new ConfigurationException(name, "must name at least one scope");
        }
        return scopes;
    }

    /**
     * An origin: https, or http on a loopback host; no user info, path, query or fragment.
     */
    static URI origin(String name, String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(name, "is not a valid URL: '" + raw + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!uri.isAbsolute() || host == null || host.isEmpty()) {
            throw new ConfigurationException(name, "must be an absolute URL with a host, not '" + raw + "'");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigurationException(name, "must not contain user info, a query or a fragment: '" + raw + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.isEmpty() && !path.equals("/")) {
            throw new ConfigurationException(name, "must be an origin without a path (got path '" + path + "')");
        }
        boolean loopback = isLoopback(host);
        if (scheme.equals("http")) {
            if (!loopback) {
                throw new ConfigurationException(name, "must use https (http is accepted for loopback hosts only): '"
                        + raw + "'");
            }
        } else if (!scheme.equals("https")) {
            throw new ConfigurationException(name, "must use https: '" + raw + "'");
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return URI.create(scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
    }

    /** Loopback by name or literal address, without any DNS lookup. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        boolean literal = h.matches("[0-9.]+") || h.contains(":");
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The Kinde permission that makes a user (or an M2M application's scope) an operator (issue 15.4). */
    private Optional<String> operatorPermission() {
        Optional<String> permission = value(OPERATOR_PERMISSION).map(String::trim).filter(v -> !v.isEmpty());
        if (permission.isPresent() && !permission.get().matches("[A-Za-z0-9:_.\\-]{1,200}")) {
            throw new ConfigurationException(OPERATOR_PERMISSION,
                    "must be one Kinde permission key (letters, digits, ':', '_', '.', '-')");
        }
        return permission;
    }

    /** The keys of a master-key rotation: accepted for decryption, never written with (issue 15.5). */
    private List<SecretKey> additionalMasterKeys(SecretKey masterKey) {
        List<SecretKey> keys = new ArrayList<>();
        for (String encoded : value(ADDITIONAL_MASTER_KEYS).map(v -> v.trim().split("[,\\s]+")).orElse(new String[0])) {
            if (encoded.isEmpty()) {
                continue;
            }
            SecretKey key = masterKey(ADDITIONAL_MASTER_KEYS, encoded);
            if (Arrays.equals(key.getEncoded(), masterKey.getEncoded())) {
                throw new ConfigurationException(ADDITIONAL_MASTER_KEYS, "repeats " + MASTER_KEY);
            }
            keys.add(key);
        }
        return keys;
    }

    private static SecretKey masterKey(String property, String encoded) {
        byte[] bytes;
        try {
            bytes = encoded.contains("-") || encoded.contains("_")
                    ? Base64.getUrlDecoder().decode(encoded)
                    : Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(property, "is not valid base64");
        }
        if (bytes.length != 32) {
            throw new ConfigurationException(property, "must decode to 32 bytes (256 bits), not " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /**
     * Deviation: dev mode without a master key uses a fixed, publicly known key because a fresh checkout must
     * run with no secrets and keep its keys across restarts; the bridge logs a warning and refuses this outside
     * dev mode.
     */
    private static SecretKey devMasterKey() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest("kinde-mcp-bridge dev mode master key".getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(digest, "AES");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
