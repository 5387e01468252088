package dev.kindemcp.bridge.oauth;

import java.util.Objects;

/**
 * A CDI event: a client was deleted (RFC 7592 or the admin API), so every grant it holds must end.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7592#section-2.3">RFC 7592 §2.3 Client Delete Request</a>
 */
public record ClientDeleted(String clientId) {

    public ClientDeleted {
        Objects.requireNonNull(clientId, "clientId must not be null");
    }
}
