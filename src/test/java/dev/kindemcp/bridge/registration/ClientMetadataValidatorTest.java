package dev.kindemcp.bridge.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.openid.connect.sdk.rp.ApplicationType;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import dev.kindemcp.bridge.oauth.OAuthException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The named registration rules of ClientMetadataValidator (REG-11..REG-16). */
class ClientMetadataValidatorTest {

    private final ClientMetadataValidator validator = new ClientMetadataValidator(
            new RedirectUriPolicy(List.of("cursor://anysphere.cursor-mcp/oauth/callback")),
            List.of("mcp:read", "mcp:write"), List.of("mcp:read"), List.of("mcp:read", "mcp:write"));

    private static String code(Runnable r) {
        return assertThrows(OAuthException.class, r::run).error().getCode();
    }

    @Test
    void validateWhenMinimalThenDefaults() {
        OIDCClientMetadata md = validator.validate(Map.of("redirect_uris", List.of("https://c.example/cb")));
        assertEquals(Set.of(GrantType.AUTHORIZATION_CODE), md.getGrantTypes());
        assertEquals(ClientAuthenticationMethod.CLIENT_SECRET_BASIC, md.getTokenEndpointAuthMethod());
        assertEquals("mcp:read mcp:write", md.getScope().toString());
        assertEquals(ApplicationType.WEB, md.getApplicationType());
        assertNull(md.getName());
    }

    /** A dynamically registered client is registered for the open-client scopes, whatever it names. */
    @Test
    void validateWhenOpenRegistrationNamesScopesThenOpenClientScopes() {
        ClientMetadataValidator readOnly = new ClientMetadataValidator(new RedirectUriPolicy(List.of()),
                List.of("mcp:read", "mcp:write"), List.of("mcp:read"), List.of("mcp:read"));
        for (String asked : List.of("mcp:read", "mcp:write", "mcp:read mcp:write claudeai")) {
            assertEquals("mcp:read", readOnly.validate(Map.of("redirect_uris", List.of("https://c.example/cb"),
                    "scope", asked)).getScope().toString(), asked);
        }
    }

    /** A provisioned client gets the bridge scopes it names (unknown dropped), the default scopes when none. */
    @Test
    void validateProvisionedWhenScopesMixedThenUnknownDroppedKnownKept() {
        OIDCClientMetadata md = validator.validateProvisioned(Map.of("grant_types", List.of("client_credentials"),
                "scope", " offline_access mcp:write  claudeai mcp:write"));
        assertEquals("mcp:write", md.getScope().toString());
        assertEquals("mcp:read", validator.validateProvisioned(Map.of("grant_types", List.of("client_credentials"),
                "scope", "claudeai")).getScope().toString());
    }

    @Test
    void validateWhenPrivateUseRedirectThenNativeAndWebRefused() {
        Map<String, Object> cursor = Map.of("redirect_uris", List.of("cursor://anysphere.cursor-mcp/oauth/callback"));
        assertEquals(ApplicationType.NATIVE, validator.validate(cursor).getApplicationType());
        assertEquals("invalid_redirect_uri", code(() -> validator.validate(Map.of("redirect_uris",
                List.of("cursor://anysphere.cursor-mcp/oauth/callback"), "application_type", "web"))));
        assertEquals("invalid_client_metadata", code(() -> validator.validate(Map.of("redirect_uris",
                List.of("https://c.example/cb"), "application_type", "desktop"))));
    }

    @Test
    void validateWhenWrongTypesThenInvalidClientMetadata() {
        assertEquals("invalid_redirect_uri", code(() -> validator.validate(Map.of("redirect_uris", "https://c.example/cb"))));
        assertEquals("invalid_client_metadata", code(() -> validator.validate(Map.of(
                "redirect_uris", List.of("https://c.example/cb"), "client_name", 5))));
        assertEquals("invalid_client_metadata", code(() -> validator.validate(Map.of(
                "redirect_uris", List.of("https://c.example/cb"), "scope", List.of("mcp:read")))));
        assertEquals("invalid_client_metadata", code(() -> validator.validate(Map.of(
                "redirect_uris", List.of("https://c.example/cb"), "grant_types", List.of("refresh_token")))));
    }
}
