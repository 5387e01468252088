package dev.kindemcp.bridge.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Authorization-server and protected-resource metadata on a real Liberty (MD-01, MD-02, MD-05 of the security
 * catalogue; spec-requirements.md §1c).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MetadataIT {

    @Deployment
    static WebArchive deployment() {
        return TestDeployments.bridge();
    }

    @ArquillianResource
    URL base;

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    /** The fields this release advertises, and no others. */
    private static final Set<String> AS_FIELDS = Set.of("issuer", "jwks_uri", "response_types_supported",
            "response_modes_supported", "grant_types_supported", "token_endpoint_auth_methods_supported",
            "code_challenge_methods_supported", "scopes_supported",
            "authorization_response_iss_parameter_supported", "client_id_metadata_document_supported", "registration_endpoint", "authorization_endpoint", "token_endpoint", "revocation_endpoint",
            "revocation_endpoint_auth_methods_supported", "introspection_endpoint",
            "introspection_endpoint_auth_methods_supported");

    @Test
    void getWhenAuthorizationServerMetadataThenEveryFieldAsSpecified() {
        HttpResponse<String> response = Http.get(url("/.well-known/oauth-authorization-server"));
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        Map<String, Object> md = Http.json(response);
        assertEquals(AS_FIELDS, md.keySet());
        String issuer = TestDeployments.issuer();
        assertEquals(issuer, md.get("issuer"));
        assertEquals(issuer + "/.well-known/jwks.json", md.get("jwks_uri"));
        assertEquals(issuer + "/register", md.get("registration_endpoint"));
        assertEquals(issuer + "/authorize", md.get("authorization_endpoint"));
        assertEquals(issuer + "/token", md.get("token_endpoint"));
        assertEquals(issuer + "/revoke", md.get("revocation_endpoint"));
        assertEquals(issuer + "/introspect", md.get("introspection_endpoint"));
        assertEquals(List.of("code"), md.get("response_types_supported"));
        assertEquals(List.of("query"), md.get("response_modes_supported"));
        assertEquals(List.of("S256"), md.get("code_challenge_methods_supported"));
        assertEquals(Set.of("authorization_code", "refresh_token", "client_credentials",
                "urn:ietf:params:oauth:grant-type:token-exchange"),
                Set.copyOf((List<?>) md.get("grant_types_supported")));
        assertTrue(((List<?>) md.get("token_endpoint_auth_methods_supported")).contains("none"));
        assertEquals(List.of("mcp:read", "mcp:write"), md.get("scopes_supported"));
        assertEquals(Boolean.TRUE, md.get("authorization_response_iss_parameter_supported"));
        assertEquals(Boolean.TRUE, md.get("client_id_metadata_document_supported"));
    }

    @Test
    void getWhenOpenIdConfigurationThenSameDocumentAsRfc8414() {
        String oauth = Http.get(url("/.well-known/oauth-authorization-server")).body();
        HttpResponse<String> oidc = Http.get(url("/.well-known/openid-configuration"));
        assertEquals(200, oidc.statusCode());
        assertEquals(oauth, oidc.body());
    }

    @Test
    void getWhenProtectedResourceMetadataThenResourceIsMcpAndIssuerMatchesAtAllDiscoveryUrls() {
        String issuer = (String) Http.json(Http.get(url("/.well-known/oauth-authorization-server"))).get("issuer");
        for (String path : List.of("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource")) {
            HttpResponse<String> response = Http.get(url(path));
            assertEquals(200, response.statusCode(), path);
            Map<String, Object> prm = Http.json(response);
            assertEquals(Set.of("resource", "authorization_servers", "scopes_supported", "bearer_methods_supported",
                    "resource_name"), prm.keySet(), path);
            assertEquals(TestDeployments.issuer() + "/mcp", prm.get("resource"), path);
            assertEquals(List.of(issuer), prm.get("authorization_servers"), path);
            assertEquals(List.of("header"), prm.get("bearer_methods_supported"), path);
            assertEquals(List.of("mcp:read"), prm.get("scopes_supported"), path);
        }
    }

    @Test
    void getWhenForwardedHeadersSpoofedThenIssuerAndEndpointsUnchanged() {
        HttpResponse<String> response = Http.get(url("/.well-known/oauth-authorization-server"),
                "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https", "Forwarded", "host=evil.example");
        assertEquals(200, response.statusCode());
        assertFalse(response.body().contains("evil.example"));
        assertEquals(TestDeployments.issuer(), Http.json(response).get("issuer"));
    }

    @Test
    void getWhenBrowserOriginThenCorsAllowsReadingMetadataAndKeys() {
        for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration",
                "/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource",
                "/.well-known/jwks.json")) {
            HttpResponse<String> response = Http.get(url(path), "Origin", "http://localhost:6274");
            assertEquals(200, response.statusCode(), path);
            assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElse(null), path);
            HttpResponse<String> preflight = Http.options(url(path), "Origin", "http://localhost:6274",
                    "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "mcp-protocol-version");
            assertEquals(204, preflight.statusCode(), path);
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")
                    .contains("MCP-Protocol-Version"), path);
        }
    }

    @Test
    void getWhenNoOriginThenNoCorsHeaders() {
        HttpResponse<String> response = Http.get(url("/.well-known/oauth-authorization-server"));
        assertNull(response.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }
}
