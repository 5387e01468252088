package dev.kindemcp.bridge.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.oauth.OAuthException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The redirect URI matrix of the registration policy (REG-04..REG-09, REG-28; AZ-03..AZ-08 matching). */
class RedirectUriPolicyTest {

    private final RedirectUriPolicy policy = new RedirectUriPolicy(
            List.of("cursor://anysphere.cursor-mcp/oauth/callback"));

    @ParameterizedTest
    @ValueSource(strings = {"https://claude.ai/api/mcp/auth_callback", "https://c.example/cb?x=1",
        "https://vscode.dev/redirect", "https://c.example:8443/cb", "https://xn--exmple-4nf.com/cb"})
    void validateWhenHttpsThenHttps(String uri) {
        assertEquals(RedirectUriPolicy.Kind.HTTPS, policy.validateForRegistration(uri));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/", "http://127.0.0.1:33418/", "http://localhost:8787/callback",
        "http://[::1]:61023/cb", "http://localhost/callback"})
    void validateWhenLoopbackHttpThenLoopback(String uri) {
        assertEquals(RedirectUriPolicy.Kind.LOOPBACK, policy.validateForRegistration(uri));
    }

    @Test
    void validateWhenAllowlistedPrivateUseThenAccepted() {
        assertEquals(RedirectUriPolicy.Kind.PRIVATE_USE,
                policy.validateForRegistration("cursor://anysphere.cursor-mcp/oauth/callback"));
    }

    /** REG-04, REG-05, REG-06, REG-07, REG-08, REG-09, REG-28. */
    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "data:text/html,<b>x</b>", "vbscript:msgbox", "file:///etc/passwd",
        "blob:https://c.example/1", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
        "javascript%3Aalert(1)", "\u0000javascript:alert(1)", "https://c.example/cb#x", "http://c.example/cb",
        "http://10.0.0.5/cb", "http://127.0.0.1.nip.io/cb", "https://*.c.example/cb", "/cb",
        "https://c.example@evil.example/cb", "http://localhost@evil.example/", "https://exаmple.com/cb",
        "https://c.example/%2e%2e/cb", "https://c.example/cb/../x", "https://c.example\\@evil",
        "https://c.example/c b", "https://c.example/cb\r\nX: y", "HTTPS://c.example/cb", "https://C.example/cb",
        "myapp://cb", "com.example.app:/cb", "cursor://anysphere.cursor-mcp/other", "https:///cb", "",
        "https://c.example/cb/..;/x"})
    void validateWhenUnsafeThenInvalidRedirectUri(String uri) {
        OAuthException e = assertThrows(OAuthException.class, () -> policy.validateForRegistration(uri));
        assertEquals("invalid_redirect_uri", e.error().getCode());
        assertEquals(400, e.error().getHTTPStatusCode());
    }

    @ParameterizedTest
    @CsvSource({
        "https://c.example/cb, https://c.example/cb, true",
        "https://c.example/cb, https://c.example/cb/, false",
        "https://c.example/cb, https://c.example/other, false",
        "https://c.example/cb, https://c.example/cb?x=1, false",
        "https://c.example/cb, HTTPS://C.example/cb, false",
        "https://c.example/cb, https://c.example/CB, false",
        "https://c.example:8443/cb, https://c.example:9443/cb, false",
        "http://127.0.0.1/cb, http://127.0.0.1:51004/cb, true",
        "http://127.0.0.1/cb, http://127.0.0.1:51004/other, false",
        "http://127.0.0.1/cb, http://127.0.0.2:51004/cb, false",
        "http://127.0.0.1/cb, http://127.0.0.1.evil.example:51004/cb, false",
        "http://127.0.0.1/cb, https://127.0.0.1:51004/cb, false",
        "http://localhost/cb, http://localhost:8080/cb, true",
        "http://localhost/cb, http://localhosts:8080/cb, false",
        "http://localhost/cb, http://localhost:8080@evil.example/cb, false",
        "http://[::1]/cb, http://[::1]:61023/cb, true",
        "http://127.0.0.1/, http://127.0.0.1:33418/, true",
        "http://localhost:8787/callback, http://localhost:9999/callback, true"})
    void matchesWhenComparedThenExactExceptLoopbackPort(String registered, String requested, boolean expected) {
        assertEquals(expected, RedirectUriPolicy.matches(registered, requested));
    }

    @Test
    void allLoopbackWhenOnlyLoopbackUrisThenTrue() {
        assertTrue(RedirectUriPolicy.allLoopback(List.of("http://localhost/cb", "http://127.0.0.1:3/x")));
        assertFalse(RedirectUriPolicy.allLoopback(List.of("http://localhost/cb", "https://c.example/cb")));
    }
}
