package dev.kindemcp.bridge.kinde.fake;

import java.util.Objects;
import java.util.Set;

/**
 * A Kinde back-end web application: a confidential client that uses the authorization code flow with PKCE and
 * may only be sent back to its registered callback URLs (exact match).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2.3">RFC 6749 §3.1.2.3 Dynamic Configuration (redirect URI matching)</a>
 */
public record FakeApp(String clientId, String clientSecret, Set<String> callbackUrls) {

    public FakeApp {
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(clientSecret, "clientSecret must not be null");
        callbackUrls = Set.copyOf(callbackUrls);
    }
}
