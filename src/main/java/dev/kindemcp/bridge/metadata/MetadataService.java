package dev.kindemcp.bridge.metadata;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.Endpoints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import net.minidev.json.JSONObject;

/**
 * Builds the authorization-server metadata and the MCP endpoint's protected-resource metadata from the
 * configuration alone (never from request headers), once.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-2">RFC 8414 §2 Authorization Server Metadata</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728#section-2">RFC 9728 §2 Protected Resource Metadata</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9207#section-3">RFC 9207 §3 Authorization Server Metadata</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-5">CIMD draft-00 §5 Authorization Server Metadata</a>
 */
@ApplicationScoped
public class MetadataService {

    /** CIMD draft-00 §5: advertises that https client_ids are resolved as metadata documents. */
    static final String CIMD_SUPPORTED = "client_id_metadata_document_supported";

    private final String authorizationServer;
    private final String protectedResource;

    @Inject
    public MetadataService(BridgeConfig config) {
        this.authorizationServer = buildAuthorizationServer(config).toJSONString();
        this.protectedResource = buildProtectedResource(config).toJSONString();
    }

    MetadataService() { // CDI proxy
        this.authorizationServer = null;
        this.protectedResource = null;
    }

    /** RFC 8414 metadata, also served as the OpenID Connect discovery document. */
    public String authorizationServerMetadata() {
        return authorizationServer;
    }

    /** RFC 9728 metadata of the MCP endpoint. */
    public String protectedResourceMetadata() {
        return protectedResource;
    }

    static JSONObject buildAuthorizationServer(BridgeConfig config) {
        // RFC 8414 §3.3: issuer MUST be identical to the URL prefix the metadata was fetched from
        AuthorizationServerMetadata md = new AuthorizationServerMetadata(new Issuer(config.issuerId()));
        md.setJWKSetURI(URI.create(config.url(Endpoints.JWKS)));
        md.setRegistrationEndpointURI(URI.create(config.url(Endpoints.REGISTRATION)));
        md.setAuthorizationEndpointURI(URI.create(config.url(Endpoints.AUTHORIZATION)));
        md.setTokenEndpointURI(URI.create(config.url(Endpoints.TOKEN)));
        md.setRevocationEndpointURI(URI.create(config.url(Endpoints.REVOCATION)));
        md.setIntrospectionEndpointURI(URI.create(config.url(Endpoints.INTROSPECTION)));
        md.setIntrospectionEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST));
        md.setRevocationEndpointAuthMethods(List.of(ClientAuthenticationMethod.NONE,
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST));
        md.setResponseTypes(List.of(ResponseType.CODE));
        md.setResponseModes(List.of(ResponseMode.QUERY));
        md.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN,
                GrantType.CLIENT_CREDENTIALS, GrantType.TOKEN_EXCHANGE));
        // MCP 2026-07-28 Authorization: "Client ID Metadata Documents": "none" must be listed for CIMD clients
        md.setTokenEndpointAuthMethods(List.of(ClientAuthenticationMethod.NONE,
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST));
        // OAuth 2.1 (draft-ietf-oauth-v2-1-13) §4.1.1: S256 only; MCP clients refuse to proceed without this field
        md.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        md.setScopes(new Scope(config.scopesSupported().toArray(String[]::new)));
        // RFC 9207 §3: iss is sent in every authorization response, errors included
        md.setSupportsAuthorizationResponseIssuerParam(true);
        md.setCustomParameter(CIMD_SUPPORTED, true);
        return md.toJSONObject();
    }

    static JSONObject buildProtectedResource(BridgeConfig config) {
        JSONObject md = new JSONObject();
        // RFC 9728 §3.3: resource MUST be identical to the resource URL the metadata describes
        md.put("resource", config.mcpResource());
        // MCP 2026-07-28 Authorization: issuer MUST equal authorization_servers[0] byte for byte
        md.put("authorization_servers", List.of(config.issuerId()));
        // MCP 2026-07-28 Authorization: "Scope Selection Strategy": the minimal set for basic use
        md.put("scopes_supported", config.defaultScopes());
        md.put("bearer_methods_supported", List.of("header"));
        md.put("resource_name", "kinde-mcp-bridge MCP endpoint");
        return md;
    }
}
