package dev.kindemcp.bridge.registration;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import com.nimbusds.openid.connect.sdk.rp.ApplicationType;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import dev.kindemcp.bridge.oauth.OAuthException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns self-asserted client metadata into what the bridge registers: only the members it understands, safe
 * defaults for omitted ones, the registration policy applied to every value, and nothing broader than asked.
 *
 * <p>Rules (each a named method below): redirect URIs by {@link RedirectUriPolicy}; grant types
 * {@code authorization_code} (+ {@code refresh_token}) only; response type {@code code} only and consistent
 * with the grants; authentication {@code none}, {@code client_secret_basic} or {@code client_secret_post};
 * scopes narrowed to the supported set, unknown ones dropped; display URLs only https on a redirect host;
 * bounded strings and arrays.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-2">RFC 7591 §2 Client Metadata</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-5">RFC 7591 §5 Security Considerations</a>
 * @see <a href="https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata">OpenID Connect Registration 1.0 §2 (application_type)</a>
 */
public final class ClientMetadataValidator {

    static final int MAX_REDIRECT_URIS = 20;
    /** The admin-API member that marks a resource server's introspection credential. */
    public static final String RESOURCE_SERVER = "resource_server";
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_STRING_LENGTH = 2000;
    static final int MAX_CONTACTS = 10;
    /** The room of oauth_client.metadata_json (migration V7); what validation accepts must fit. */
    static final int MAX_METADATA_JSON = 200_000;

    private static final Set<String> DISPLAY_URLS = Set.of("client_uri", "logo_uri", "tos_uri", "policy_uri");

    private final RedirectUriPolicy redirectUris;
    private final List<String> supportedScopes;
    private final List<String> defaultScopes;
    private final List<String> openScopes;

    /**
     * @param supportedScopes the bridge's scopes, which a provisioned client may be registered for
     * @param defaultScopes   a provisioned client's scope when it names none
     * @param openScopes      the scope every dynamically registered client is registered for
     */
    public ClientMetadataValidator(RedirectUriPolicy redirectUris, List<String> supportedScopes,
            List<String> defaultScopes, List<String> openScopes) {
        this.redirectUris = Objects.requireNonNull(redirectUris, "redirectUris must not be null");
        this.supportedScopes = List.copyOf(supportedScopes);
        this.defaultScopes = List.copyOf(defaultScopes);
        this.openScopes = List.copyOf(openScopes);
    }

    /** Validates a registration (or RFC 7592 update) request body; returns the metadata to register. */
    public OIDCClientMetadata validate(Map<String, Object> request) {
        return validate(request, false);
    }

    /**
     * Validates the metadata of a client the operator provisions: like an open registration, except that
     * {@code client_credentials} is allowed, the client must be confidential, and a machine-only client needs
     * no redirect URI.
     */
    public OIDCClientMetadata validateProvisioned(Map<String, Object> request) {
        return validate(request, true);
    }

    private OIDCClientMetadata validate(Map<String, Object> request, boolean provisioned) {
        OIDCClientMetadata registered = new OIDCClientMetadata();
        boolean resourceServer = provisioned && resourceServer(request);
        Set<GrantType> grants = resourceServer && request.get("grant_types") == null ? Set.of()
                : grantTypes(request, provisioned);
        registered.setGrantTypes(grants);
        if (resourceServer) {
            registered.setCustomField(RESOURCE_SERVER, true);
        }
        boolean redirects = grants.contains(GrantType.AUTHORIZATION_CODE);
        List<String> uris = redirects ? redirectUris(request) : List.of();
        if (redirects) {
            registered.setRedirectionURIs(new LinkedHashSet<>(uris.stream().map(URI::create).toList()));
            registered.setResponseTypes(responseTypes(request, grants));
        } else if (request.get("redirect_uris") != null || request.get("response_types") != null) {
            throw metadata("a client without authorization_code has no redirect_uris or response_types");
        }
        registered.setApplicationType(applicationType(request, uris));
        ClientAuthenticationMethod method = authMethod(request);
        if (provisioned && ClientAuthenticationMethod.NONE.equals(method)) {
            throw metadata("provisioned clients are confidential: client_secret_basic or client_secret_post");
        }
        registered.setTokenEndpointAuthMethod(method);
        registered.setScope(scope(request, provisioned));
        string(request, "client_name", MAX_NAME_LENGTH).ifPresent(registered::setName);
        string(request, "software_id", 200).ifPresent(id -> registered.setSoftwareID(
                new com.nimbusds.oauth2.sdk.id.SoftwareID(id)));
        string(request, "software_version", 100).ifPresent(v -> registered.setSoftwareVersion(
                new com.nimbusds.oauth2.sdk.id.SoftwareVersion(v)));
        List<String> contacts = stringArray(request, "contacts", MAX_CONTACTS, 200, RegistrationError.INVALID_CLIENT_METADATA);
        if (!contacts.isEmpty()) {
            registered.setEmailContacts(contacts);
        }
        displayUrls(request, uris, registered);
        if (registered.toJSONObject().toJSONString().length() > MAX_METADATA_JSON) {
            throw metadata("the registration is larger than this server stores");
        }
        return registered;
    }

    /**
     * The bridge's own member for the admin API: {@code "resource_server": true} makes the client the credential
     * of a resource server of the MCP resource, which may introspect every bridge access token (RFC 7662 §4).
     * Without {@code grant_types} such a client can do nothing else.
     */
    private static boolean resourceServer(Map<String, Object> request) {
        Object raw = request.get(RESOURCE_SERVER);
        if (raw != null && !(raw instanceof Boolean)) {
            throw metadata(RESOURCE_SERVER + " must be true or false");
        }
        return Boolean.TRUE.equals(raw);
    }

    /** RFC 7591 §2: redirect_uris is required for redirect-based flows; each one must pass the policy. */
    private List<String> redirectUris(Map<String, Object> request) {
        List<String> uris = stringArray(request, "redirect_uris", MAX_REDIRECT_URIS, RedirectUriPolicy.MAX_LENGTH,
                RegistrationError.INVALID_REDIRECT_URI);
        if (uris.isEmpty()) {
            throw new OAuthException(RegistrationError.INVALID_REDIRECT_URI, "redirect_uris must list at least one URI");
        }
        uris.forEach(redirectUris::validateForRegistration);
        return List.copyOf(new LinkedHashSet<>(uris));
    }

    /**
     * OpenID Connect Registration 1.0 §2: application_type web or native. A web client may not use private-use
     * schemes; when omitted it is derived from the redirect URIs and returned.
     */
    private ApplicationType applicationType(Map<String, Object> request, List<String> uris) {
        boolean nativeOnly = uris.stream().anyMatch(
                u -> redirectUris.validateForRegistration(u) == RedirectUriPolicy.Kind.PRIVATE_USE);
        boolean loopback = uris.stream().anyMatch(
                u -> redirectUris.validateForRegistration(u) == RedirectUriPolicy.Kind.LOOPBACK);
        Object raw = request.get("application_type");
        if (raw == null) {
            return nativeOnly || loopback ? ApplicationType.NATIVE : ApplicationType.WEB;
        }
        if ("native".equals(raw)) {
            return ApplicationType.NATIVE;
        }
        if ("web".equals(raw)) {
            if (nativeOnly) {
                throw new OAuthException(RegistrationError.INVALID_REDIRECT_URI,
                        "a web application cannot use private-use scheme redirect URIs");
            }
            return ApplicationType.WEB;
        }
        throw metadata("application_type must be web or native");
    }

    /**
     * RFC 7591 §2: grant_types defaults to authorization_code; open registration allows only
     * authorization_code and refresh_token (client_credentials is for operator-provisioned clients).
     */
    private static Set<GrantType> grantTypes(Map<String, Object> request, boolean provisioned) {
        List<String> raw = stringArray(request, "grant_types", 5, 100, RegistrationError.INVALID_CLIENT_METADATA);
        if (raw.isEmpty()) {
            return Set.of(GrantType.AUTHORIZATION_CODE);
        }
        Set<GrantType> grants = new LinkedHashSet<>();
        for (String g : raw) {
            if (g.equals(GrantType.AUTHORIZATION_CODE.getValue())) {
                grants.add(GrantType.AUTHORIZATION_CODE);
            } else if (g.equals(GrantType.REFRESH_TOKEN.getValue())) {
                grants.add(GrantType.REFRESH_TOKEN);
            } else if (g.equals(GrantType.CLIENT_CREDENTIALS.getValue())) {
                if (!provisioned) {
                    // R-DCR-6: open registration never yields machine clients
                    throw metadata("client_credentials is available to operator-provisioned clients only");
                }
                grants.add(GrantType.CLIENT_CREDENTIALS);
            } else {
                throw metadata("grant type '" + g + "' is not supported");
            }
        }
        if (!grants.contains(GrantType.AUTHORIZATION_CODE) && !grants.contains(GrantType.CLIENT_CREDENTIALS)) {
            throw metadata("grant_types must include authorization_code");
        }
        if (grants.contains(GrantType.REFRESH_TOKEN) && !grants.contains(GrantType.AUTHORIZATION_CODE)) {
            throw metadata("refresh_token needs authorization_code");
        }
        return grants;
    }

    /** RFC 7591 §2.1: response_types defaults to code and must agree with grant_types. */
    private static Set<ResponseType> responseTypes(Map<String, Object> request, Set<GrantType> grants) {
        List<String> raw = stringArray(request, "response_types", 3, 50, RegistrationError.INVALID_CLIENT_METADATA);
        for (String r : raw) {
            if (!r.equals("code")) {
                throw metadata("response type '" + r + "' is not supported (code only)");
            }
        }
        return Set.of(ResponseType.CODE);
    }

    /** RFC 7591 §2: token_endpoint_auth_method defaults to client_secret_basic. */
    private static ClientAuthenticationMethod authMethod(Map<String, Object> request) {
        Object raw = request.get("token_endpoint_auth_method");
        if (raw == null) {
            return ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
        }
        if (raw instanceof String method) {
            for (ClientAuthenticationMethod allowed : List.of(ClientAuthenticationMethod.NONE,
                    ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
                if (allowed.getValue().equals(method)) {
                    return allowed;
                }
            }
        }
        throw metadata("token_endpoint_auth_method must be none, client_secret_basic or client_secret_post");
    }

    /**
     * RFC 7591 §2: the server may replace the requested scope. A provisioned client gets the bridge scopes it
     * names (unknown ones dropped, spec-requirements.md §3c quirk 6; none means the default scopes), and that
     * bounds every grant it gets. A dynamically registered client always gets the open-client scopes: SDKs
     * register the scope of the first challenge and later step up with the same registration, so what it asks
     * for here is no statement of what it needs.
     */
    private Scope scope(Map<String, Object> request, boolean provisioned) {
        Object raw = request.get("scope");
        if (raw != null && !(raw instanceof String)) {
            throw metadata("scope must be a string");
        }
        if (!provisioned) {
            return new Scope(openScopes.toArray(String[]::new));
        }
        List<String> kept = new ArrayList<>();
        if (raw != null) {
            for (String s : ((String) raw).trim().split("\\s+")) {
                if (supportedScopes.contains(s) && !kept.contains(s)) {
                    kept.add(s);
                }
            }
        }
        return new Scope((kept.isEmpty() ? defaultScopes : kept).toArray(String[]::new));
    }

    /**
     * RFC 7591 §5: URLs shown to users are kept only when https and on the host of an https redirect URI; any
     * other (and jwks_uri, sector_identifier_uri, request_uris) is dropped and never fetched.
     */
    private static void displayUrls(Map<String, Object> request, List<String> uris, OIDCClientMetadata registered) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String u : uris) {
            if (u.startsWith("https://")) {
                hosts.add(URI.create(u).getHost());
            }
        }
        for (String member : DISPLAY_URLS) {
            Object raw = request.get(member);
            if (!(raw instanceof String s) || s.length() > MAX_STRING_LENGTH || !s.startsWith("https://")) {
                continue;
            }
            URI url;
            try {
                url = new URI(s);
            } catch (java.net.URISyntaxException e) {
                continue;
            }
            if (url.getHost() == null || url.getRawUserInfo() != null || !hosts.contains(url.getHost())) {
                continue;
            }
            switch (member) {
                case "client_uri" -> registered.setURI(url);
                case "logo_uri" -> registered.setLogoURI(url);
                case "tos_uri" -> registered.setTermsOfServiceURI(url);
                default -> registered.setPolicyURI(url);
            }
        }
    }

    private static java.util.Optional<String> string(Map<String, Object> request, String member, int max) {
        Object raw = request.get(member);
        if (raw == null) {
            return java.util.Optional.empty();
        }
        if (!(raw instanceof String s)) {
            throw metadata(member + " must be a string");
        }
        if (s.length() > max) {
            throw metadata(member + " must not be longer than " + max + " characters");
        }
        return s.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(s);
    }

    private static List<String> stringArray(Map<String, Object> request, String member, int maxItems, int maxLength,
            com.nimbusds.oauth2.sdk.ErrorObject error) {
        Object raw = request.get(member);
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            throw new OAuthException(error, member + " must be an array of strings");
        }
        if (list.size() > maxItems) {
            throw metadata(member + " must not have more than " + maxItems + " entries");
        }
        List<String> values = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s) || s.length() > maxLength) {
                throw new OAuthException(error, member + " must be an array of strings of at most " + maxLength
                        + " characters");
            }
            values.add(s);
        }
        return values;
    }

    private static OAuthException metadata(String description) {
        return new OAuthException(RegistrationError.INVALID_CLIENT_METADATA, description);
    }
}
