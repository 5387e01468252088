package dev.kindemcp.bridge.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.RequestParameters;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.registration.KnownClient;
import dev.kindemcp.bridge.store.IssuedCode;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Code checks that need a fixture or a clock: PKCE downgrade (TK-08) and expiry (TK-11). */
class AuthorizationCodeGrantHandlerTest {

    static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    static final KnownClient CLIENT = new KnownClient("dcr_a", KnownClient.Origin.DCR, Optional.empty(),
            List.of(LoginDriver.REDIRECT), Set.of("authorization_code"), List.of("mcp:read", "mcp:write"), "none", Optional.empty(), Optional.empty(),
            Optional.empty());

    static IssuedCode code(String challenge) {
        return new IssuedCode(Secrets.hash("the-code"), "dcr_a", LoginDriver.REDIRECT, challenge, "mcp:read",
                "https://mcp.example.com/mcp", "kg_1", "kp_1", Optional.of("org_acme"), "{}", T0,
                T0.plus(Duration.ofSeconds(60)), Optional.empty());
    }

    /** TK-08: a verifier for a code stored without a challenge is refused as invalid_request. */
    @Test
    void verifyPkceWhenCodeHasNoChallengeAndVerifierSentThenInvalidRequest() {
        OAuthException e = assertThrows(OAuthException.class,
                () -> AuthorizationCodeGrantHandler.verifyPkce(code(""), Optional.of(LoginDriver.VERIFIER)));
        assertEquals("invalid_request", e.error().getCode());
        assertEquals("invalid_grant", assertThrows(OAuthException.class,
                () -> AuthorizationCodeGrantHandler.verifyPkce(code(""), Optional.empty())).error().getCode());
    }

    @Test
    void verifyPkceWhenVerifierMatchesThenAcceptedOtherwiseInvalidGrant() {
        AuthorizationCodeGrantHandler.verifyPkce(code(LoginDriver.CHALLENGE), Optional.of(LoginDriver.VERIFIER));
        for (String wrong : List.of("x".repeat(43), "short", LoginDriver.VERIFIER + "!")) {
            assertEquals("invalid_grant", assertThrows(OAuthException.class,
                    () -> AuthorizationCodeGrantHandler.verifyPkce(code(LoginDriver.CHALLENGE), Optional.of(wrong)))
                    .error().getCode());
        }
    }

    /** TK-11: a code 61 s old is refused (the store lookup finds it, the clock says expired). */
    @Test
    void exchangeWhenCodeExpiredThenInvalidGrant() {
        AuthorizationCodeGrantHandler handler = new AuthorizationCodeGrantHandler();
        MutableClock clock = new MutableClock(T0.plusSeconds(61));
        handler.clock = clock;
        handler.codes = new CodeOnlyStore(code(LoginDriver.CHALLENGE));
        RequestParameters params = RequestParameters.parse("code=the-code&code_verifier=" + LoginDriver.VERIFIER);
        OAuthException e = assertThrows(OAuthException.class, () -> handler.exchange(CLIENT, params));
        assertEquals("invalid_grant", e.error().getCode());
        assertEquals("the code has expired", e.error().getDescription());
    }
}
