package dev.kindemcp.bridge.authorization;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.oauth.ValidatedRedirect;
import dev.kindemcp.bridge.registration.KnownClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the consent page shows and escapes (CS-01, REG-18, REG-20, R-RU-7). */
class ConsentPageTest {

    static ValidatedAuthorization request(KnownClient client, String redirect) {
        return new ValidatedAuthorization(client, new ValidatedRedirect(client.clientId(), redirect, Optional.of("s")),
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", List.of("mcp:read"), "https://mcp.example.com/mcp",
                Map.of());
    }

    @Test
    void renderWhenCimdClientThenPublishingHostShownAndNoLocalhostWarning() {
        KnownClient cimd = new KnownClient("https://client.example/oauth/metadata.json", KnownClient.Origin.CIMD,
                Optional.of("Example Desktop"), List.of("https://app.client.example/cb"),
                Set.of("authorization_code"), List.of("mcp:read", "mcp:write"), "none", Optional.empty(), Optional.of("client.example"), Optional.empty());
        String html = ConsentPage.render(request(cimd, "https://app.client.example/cb"), "tx", "csrf");
        assertTrue(html.contains("<dt>Published by</dt><dd>client.example</dd>"), html);
        assertTrue(html.contains("app.client.example"));
        assertFalse(html.contains("Check this is your own program"));
        assertFalse(html.contains("not verified"), "a CIMD name is vouched for by its host");
    }

    @Test
    void renderWhenNameHasMarkupThenEscapedAndDcrMarkedUnverified() {
        KnownClient dcr = new KnownClient("dcr_x", KnownClient.Origin.DCR, Optional.of("<img src=x onerror=alert(1)>"),
                List.of("http://localhost/cb"), Set.of("authorization_code"), List.of("mcp:read", "mcp:write"), "none", Optional.empty(), Optional.empty(),
                Optional.empty());
        String html = ConsentPage.render(request(dcr, "http://localhost:4123/cb"), "t\"x", "c<s");
        assertFalse(html.contains("<img"), html);
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assertTrue(html.contains("not verified"));
        assertTrue(html.contains("Check this is your own program"), "localhost-only clients get a warning");
        assertTrue(html.contains("localhost:4123"));
        assertFalse(html.contains("value=\"t\"x\""), "hidden values are attribute-escaped");
        assertFalse(html.contains("<script"));
    }
}
