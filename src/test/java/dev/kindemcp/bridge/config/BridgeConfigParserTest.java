package dev.kindemcp.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Validation of the configuration contract of DESIGN.md §5. */
class BridgeConfigParserTest {

    static final String KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    private static Map<String, String> production() {
        Map<String, String> m = new HashMap<>();
        m.put("bridge.issuer", "https://mcp.example.com");
        m.put("bridge.master-key", KEY);
        m.put("kinde.domain", "https://acme.kinde.com");
        m.put("kinde.client-id", "abc");
        m.put("kinde.client-secret", "s3cret");
        return m;
    }

    private static BridgeConfig parse(Map<String, String> values) {
        return BridgeConfigParser.parse(name -> Optional.ofNullable(values.get(name)));
    }

    private static ConfigurationException failure(Map<String, String> values) {
        return assertThrows(ConfigurationException.class, () -> parse(values));
    }

    @Test
    void parseWhenProductionValuesThenDefaultsApplied() {
        BridgeConfig c = parse(production());
        assertEquals("https://mcp.example.com", c.issuerId());
        assertEquals("https://mcp.example.com/mcp", c.mcpResource());
        assertFalse(c.devMode());
        assertFalse(c.devMasterKey());
        assertEquals(Duration.ofMinutes(10), c.accessTokenLifetime());
        assertEquals(JWSAlgorithm.RS256, c.signingAlgorithm());
        assertEquals(Duration.ofDays(30), c.keyRotationPeriod());
        assertEquals(List.of("mcp:read", "mcp:write"), c.scopesSupported());
        assertEquals(List.of("mcp:read"), c.defaultScopes());
        KindeSettings k = c.kinde().orElseThrow();
        assertEquals("https://acme.kinde.com", k.issuer());
        assertEquals(Optional.empty(), k.audience());
        assertEquals(Set.of(), k.allowedOrgCodes());
        assertEquals(Duration.ofSeconds(2), k.connectTimeout());
        assertEquals(Duration.ofSeconds(5), k.readTimeout());
    }

    @ParameterizedTest
    @CsvSource({
        "https://MCP.Example.com/, https://mcp.example.com",
        "https://mcp.example.com:443, https://mcp.example.com",
        "https://mcp.example.com:8443, https://mcp.example.com:8443",
        "http://localhost:9080, http://localhost:9080",
        "http://127.0.0.1:9080/, http://127.0.0.1:9080",
        "http://[::1]:9080, http://[::1]:9080"})
    void parseWhenIssuerVariantThenCanonicalOrigin(String raw, String expected) {
        Map<String, String> m = production();
        m.put("bridge.issuer", raw);
        assertEquals(expected, parse(m).issuerId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://mcp.example.com", "http://10.0.0.5:9080", "http://127.0.0.1.nip.io",
        "ftp://mcp.example.com", "https://mcp.example.com/bridge", "https://mcp.example.com?x=1",
        "https://mcp.example.com#f", "https://user@mcp.example.com", "mcp.example.com", "https://", "ht tp://x"})
    void parseWhenIssuerNotASecureOriginThenNamedError(String raw) {
        Map<String, String> m = production();
        m.put("bridge.issuer", raw);
        ConfigurationException e = failure(m);
        assertEquals("bridge.issuer", e.property());
        assertTrue(e.getMessage().startsWith("kinde-mcp-bridge configuration error: bridge.issuer (BRIDGE_ISSUER): "),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://acme.kinde.com", "https://acme.kinde.com/oauth2", "acme.kinde.com"})
    void parseWhenKindeDomainInsecureThenNamedError(String raw) {
        Map<String, String> m = production();
        m.put("kinde.domain", raw);
        assertEquals("kinde.domain", failure(m).property());
    }

    @Test
    void parseWhenKindeDomainLoopbackHttpThenAcceptedForLocalProvider() {
        Map<String, String> m = production();
        m.put("kinde.domain", "http://127.0.0.1:9091");
        assertEquals("http://127.0.0.1:9091", parse(m).kinde().orElseThrow().issuer());
    }

    @ParameterizedTest
    @ValueSource(strings = {"AQID", "not base64 !", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAh"})
    void parseWhenMasterKeyWrongThenNamedError(String key) {
        Map<String, String> m = production();
        m.put("bridge.master-key", key);
        ConfigurationException e = failure(m);
        assertEquals("bridge.master-key", e.property());
        assertFalse(e.getMessage().contains(key), "the message must not echo the secret");
    }

    @Test
    void parseWhenAdditionalMasterKeysThenAcceptedForDecryptionInOrder() {
        Map<String, String> m = production();
        assertEquals(List.of(), parse(m).additionalMasterKeys());
        m.put("bridge.additional-master-keys", " _-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-8,"
                + "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8= ");
        List<javax.crypto.SecretKey> keys = parse(m).additionalMasterKeys();
        assertEquals(2, keys.size());
        assertEquals(0x20, keys.get(1).getEncoded()[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AQID", "not base64 !", KEY})
    void parseWhenAdditionalMasterKeyWrongOrRepeatedThenNamedError(String key) {
        Map<String, String> m = production();
        m.put("bridge.additional-master-keys", key);
        ConfigurationException e = failure(m);
        assertEquals("bridge.additional-master-keys", e.property());
        assertFalse(e.getMessage().contains(key), "the message must not echo the secret");
    }

    @Test
    void parseWhenMasterKeyBase64UrlThenAccepted() {
        Map<String, String> m = production();
        m.put("bridge.master-key", "_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-8");
        assertEquals(32, parse(m).masterKey().getEncoded().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bridge.issuer", "bridge.master-key", "kinde.domain", "kinde.client-id",
        "kinde.client-secret"})
    void parseWhenRequiredValueMissingOutsideDevModeThenNamedError(String property) {
        Map<String, String> m = production();
        m.remove(property);
        assertEquals(property, failure(m).property());
    }

    @Test
    void parseWhenBlankValueThenTreatedAsMissing() {
        Map<String, String> m = production();
        m.put("kinde.client-id", "   ");
        assertEquals("kinde.client-id", failure(m).property());
    }

    @Test
    void parseWhenDevModeWithNothingElseThenDevDefaults() {
        BridgeConfig c = parse(Map.of("bridge.dev-mode", "true"));
        assertTrue(c.devMode());
        assertEquals("http://localhost:9080", c.issuerId());
        assertTrue(c.devMasterKey());
        assertEquals(32, c.masterKey().getEncoded().length);
        assertTrue(c.kinde().isEmpty());
    }

    @Test
    void parseWhenDevModeWithPartialKindeThenNamedError() {
        ConfigurationException e = failure(Map.of("bridge.dev-mode", "true", "kinde.domain", "http://127.0.0.1:9091"));
        assertEquals("kinde.client-id", e.property());
    }

    /** KINDE_DOMAIN set under the run command: its local-provider defaults must not reach a real Kinde. */
    @Test
    void parseWhenRealKindeDomainWithDevelopmentDefaultsThenNamedError() {
        Map<String, String> dev = new HashMap<>(Map.of("bridge.dev-mode", "true", "kinde.domain",
                "https://acme.kinde.com", "kinde.client-id", "dev-bridge", "kinde.client-secret", "dev-bridge-secret",
                "kinde.audience", "https://notes.api.example"));
        ConfigurationException e = failure(dev);
        assertEquals("kinde.client-id", e.property());
        assertTrue(e.getMessage().contains("KINDE_CLIENT_ID"), e.getMessage());
        dev.put("kinde.client-id", "abc");
        assertEquals("kinde.client-secret", failure(dev).property());
        dev.put("kinde.client-secret", "s3cret");
        assertEquals("kinde.audience", failure(dev).property());
        dev.put("kinde.audience", "https://api.acme.example");
        assertEquals("abc", parse(dev).kinde().orElseThrow().clientId());
        dev.putAll(Map.of("kinde.domain", "http://127.0.0.1:9091", "kinde.client-id", "dev-bridge",
                "kinde.client-secret", "dev-bridge-secret", "kinde.audience", "https://notes.api.example"));
        assertEquals("dev-bridge", parse(dev).kinde().orElseThrow().clientId(), "the local provider keeps them");
    }

    @Test
    void parseWhenDevModeNotBooleanThenNamedError() {
        assertEquals("bridge.dev-mode", failure(Map.of("bridge.dev-mode", "yes")).property());
    }

    @ParameterizedTest
    @CsvSource({"bridge.access-token-lifetime, 10 minutes", "bridge.access-token-lifetime, PT10S",
        "bridge.access-token-lifetime, P2D", "bridge.key-rotation-period, PT30M",
        "bridge.key-rotation-period, PT20M", "kinde.connect-timeout, PT0S", "kinde.read-timeout, PT5M",
        "bridge.signing-algorithm, HS256", "bridge.signing-algorithm, none",
        "bridge.scopes, mcp:read offline_access", "bridge.scopes, 'mcp\"read'",
        "bridge.default-scopes, mcp:admin", "kinde.allowed-org-codes, 'org_a, org b'"})
    void parseWhenValueOutOfContractThenNamedError(String property, String value) {
        Map<String, String> m = production();
        m.put(property, value);
        assertEquals(property, failure(m).property());
    }

    @Test
    void parseWhenRotationShorterThanFourTokenLifetimesThenError() {
        Map<String, String> m = production();
        m.put("bridge.access-token-lifetime", "PT1H");
        m.put("bridge.key-rotation-period", "PT3H");
        assertEquals("bridge.key-rotation-period", failure(m).property());
    }

    /** Several Kinde APIs: kinde.audience lists them, separated by commas or spaces; the first is the primary. */
    @Test
    void parseWhenSeveralAudiencesThenListInOrderWithoutDuplicates() {
        Map<String, String> m = production();
        m.put("kinde.audience", " https://notes.acme.test, https://orders.acme.test  https://notes.acme.test ");
        KindeSettings k = parse(m).kinde().orElseThrow();
        assertEquals(List.of("https://notes.acme.test", "https://orders.acme.test"), k.audiences());
        assertEquals(Optional.of("https://notes.acme.test"), k.audience());
        m.put("kinde.audience", "https://notes.acme.test https://b\u0001ad");
        assertEquals("kinde.audience", failure(m).property());
    }

    /** A custom domain and the kinde.com subdomain: both issuers, each normalised like kinde.domain. */
    @Test
    void parseWhenAdditionalIssuersThenNormalisedAfterTheDomain() {
        Map<String, String> m = production();
        m.put("kinde.additional-issuers", "HTTPS://Auth.Acme.example:443/, https://acme.kinde.com");
        KindeSettings k = parse(m).kinde().orElseThrow();
        assertEquals(List.of("https://auth.acme.example", "https://acme.kinde.com"), k.additionalIssuers());
        assertEquals(List.of("https://acme.kinde.com", "https://auth.acme.example"), k.issuers());
        m.put("kinde.additional-issuers", "http://auth.acme.example");
        assertEquals("kinde.additional-issuers", failure(m).property());
    }

    @Test
    void parseWhenOptionalKindeValuesThenParsed() {
        Map<String, String> m = production();
        m.put("kinde.audience", "https://api.acme.test");
        m.put("kinde.allowed-org-codes", " org_acme, org_globex ,, ");
        m.put("bridge.signing-algorithm", "ES256");
        m.put("bridge.scopes", "mcp:read,mcp:write  tools:admin");
        KindeSettings k = parse(m).kinde().orElseThrow();
        assertEquals(Optional.of("https://api.acme.test"), k.audience());
        assertEquals(Set.of("org_acme", "org_globex"), k.allowedOrgCodes());
        assertEquals(JWSAlgorithm.ES256, parse(m).signingAlgorithm());
        assertEquals(List.of("mcp:read", "mcp:write", "tools:admin"), parse(m).scopesSupported());
    }

    @Test
    void toStringWhenSecretsConfiguredThenRedacted() {
        String text = parse(production()).toString();
        assertFalse(text.contains("s3cret"));
        assertFalse(text.contains(KEY));
    }

    @Test
    void envNameWhenPropertyThenMicroProfileMapping() {
        assertEquals("KINDE_ALLOWED_ORG_CODES", ConfigurationException.envName("kinde.allowed-org-codes"));
    }

    @Test
    void parseWhenNoOpenApiDocumentsThenOffWithScopeDefaults() {
        OpenApiSettings openApi = parse(production()).openApi();
        assertFalse(openApi.enabled());
        assertEquals("mcp:read", openApi.readScope());
        assertEquals("mcp:write", openApi.writeScope());
        assertEquals(java.time.Duration.ofMinutes(1), openApi.refreshInterval());
    }

    @Test
    void parseWhenOpenApiDocumentsThenPathsOnTheToolApiOriginUrlsAndFiles() {
        Map<String, String> values = production();
        values.put("bridge.tool-api-url", "http://localhost:9080");
        values.put("bridge.openapi.documents", "/openapi, http://127.0.0.1:9089/openapi?format=JSON file:/etc/tasks.yaml");
        values.put("bridge.openapi.operations", "list_tasks get_task");
        values.put("bridge.openapi.origins", "https://API.example.com:443");
        values.put("bridge.openapi.refresh-interval", "PT0S");
        OpenApiSettings openApi = parse(values).openApi();
        assertEquals(java.util.List.of(java.net.URI.create("http://localhost:9080/openapi"),
                java.net.URI.create("http://127.0.0.1:9089/openapi?format=JSON"),
                java.net.URI.create("file:/etc/tasks.yaml")), openApi.documents());
        assertEquals(java.util.Set.of("list_tasks", "get_task"), openApi.operations());
        assertEquals(java.util.List.of(java.net.URI.create("https://api.example.com")), openApi.origins());
        assertTrue(openApi.refreshInterval().isZero());
    }

    @Test
    void parseWhenOpenApiSettingsWrongThenTheOneLineNamesTheProperty() {
        for (String[] wrong : new String[][] {
                {"bridge.openapi.documents", "http://api.example.com/openapi"},
                {"bridge.openapi.documents", "file:relative.yaml"},
                {"bridge.openapi.documents", "/a/../openapi"},
                {"bridge.openapi.documents", "https://user@api.example.com/openapi"},
                {"bridge.openapi.operations", "not an id!"},
                {"bridge.openapi.origins", "https://api.example.com/v1"},
                {"bridge.openapi.refresh-interval", "PT1S"},
                {"bridge.openapi.read-scope", "mcp:admin"},
                {"bridge.openapi.write-scope", "offline"}}) {
            Map<String, String> values = production();
            values.put(wrong[0], wrong[1]);
            assertTrue(failure(values).getMessage().contains(wrong[0]), wrong[0] + "=" + wrong[1]);
        }
    }

    @Test
    void parseWhenClientAuthenticationFailureLimitSetThenUsedAndBounded() {
        assertEquals(10, parse(production()).tokens().clientAuthFailuresPerMinute());
        Map<String, String> values = production();
        values.put("bridge.client-authentication.failures-per-minute", "4");
        assertEquals(4, parse(values).tokens().clientAuthFailuresPerMinute());
        values.put("bridge.client-authentication.failures-per-minute", "0");
        assertTrue(failure(values).getMessage().contains("bridge.client-authentication.failures-per-minute"));
    }
}
