package dev.kindemcp.bridge.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.kindemcp.bridge.authorization.ResourceIndicator;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.RequestParameters;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.registration.KnownClient;
import dev.kindemcp.bridge.store.AuthorizationStore;
import dev.kindemcp.bridge.store.IssuedCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The authorization_code grant: the code must belong to the authenticated client, be unexpired and unused,
 * match the redirect URI, the PKCE verifier and the resource it was issued for, and is claimed atomically;
 * a replayed code revokes what its first exchange issued.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3">RFC 6749 §4.1.3 Access Token Request</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636#section-4.6">RFC 7636 §4.6 Server Verifies code_verifier</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.8">RFC 9700 §4.8 PKCE Downgrade Attack</a>
 */
@ApplicationScoped
public class AuthorizationCodeGrantHandler {

    /** The audit trail (issue 15.3); absent when the class is built without CDI (unit tests). */
    @jakarta.inject.Inject
    dev.kindemcp.bridge.audit.AuditLog audit;

    private static final Logger LOG = Logger.getLogger(AuthorizationCodeGrantHandler.class.getName());
    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    @Inject
    GrantEnding ending;

    @Inject
    AuthorizationStore codes;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    Clock clock;

    public IssuedTokens exchange(KnownClient client, RequestParameters params) {
        String code = params.single("code").orElseThrow(() -> grant("code is required"));
        String codeHash = Secrets.hash(code);
        IssuedCode issued = codes.findCode(codeHash).orElseThrow(() -> grant("the code is not valid"));
        Instant now = clock.instant();
        if (issued.consumedAt().isPresent()) {
            // RFC 6749 §4.1.2: a code used twice revokes the tokens issued from it
            int revoked = ending.endFamiliesOfCode(codeHash);
            LOG.warning(() -> "security: authorization code replayed by " + client.clientId() + "; " + revoked
                    + " token families revoked");
            audit("code_replay_detected", "families_revoked", "client", client.clientId(), "families", revoked);
            throw grant("the code is not valid");
        }
        if (!issued.expiresAt().isAfter(now)) {
            throw grant("the code has expired");
        }
        if (!issued.clientId().equals(client.clientId())) {
            throw grant("the code was issued to another client");
        }
        // RFC 6749 §4.1.3: redirect_uri must be identical to the one of the authorization request
        if (!params.single("redirect_uri").map(issued.redirectUri()::equals).orElse(true)) {
            throw grant("redirect_uri differs from the authorization request");
        }
        verifyPkce(issued, params.single("code_verifier"));
        // RFC 8707 §2: the resource at the token endpoint must be the one the code is bound to
        Optional<String> resource = params.single("resource");
        if (params.count("resource") > 0 && (resource.isEmpty()
                || !resource.flatMap(ResourceIndicator::canonical).equals(ResourceIndicator.canonical(issued.resource())))) {
            throw new OAuthException(OAuth2Error.INVALID_TARGET, "the resource differs from the authorization request");
        }
        Optional<IssuedTokens> redeemed = refreshTokens.redeem(client, issued, now);
        if (redeemed.isEmpty()) {
            int revoked = ending.endFamiliesOfCode(codeHash);
            LOG.warning(() -> "security: authorization code raced or replayed by " + client.clientId() + "; "
                    + revoked + " token families revoked");
            throw grant("the code is not valid");
        }
        return redeemed.get();
    }

    /**
     * RFC 7636 §4.6: the verifier must hash to the stored S256 challenge; a verifier for a code stored without
     * a challenge is a downgrade attempt (RFC 9700 §4.8).
     */
    static void verifyPkce(IssuedCode issued, Optional<String> verifier) {
        if (issued.codeChallenge().isEmpty()) {
            if (verifier.isPresent()) {
                throw new OAuthException(OAuth2Error.INVALID_REQUEST, "code_verifier sent for a code without PKCE");
            }
            throw grant("the code was issued without PKCE");
        }
        if (verifier.isEmpty() || !VERIFIER.matcher(verifier.get()).matches()) {
            throw grant("code_verifier is missing or malformed");
        }
        String computed = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier.get())).getValue();
        if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                issued.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
            throw grant("code_verifier does not match");
        }
    }

    private static OAuthException grant(String description) {
        return new OAuthException(OAuth2Error.INVALID_GRANT, description);
    }

    private void audit(String event, String outcome, Object... fields) {
        if (audit != null) {
            audit.record(event, outcome, fields);
        }
    }
}
