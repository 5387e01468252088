package dev.kindemcp.bridge.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A signing key as stored: public JWK in clear, private JWK encrypted under the master key.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7517#section-4.5">RFC 7517 §4.5 "kid" (Key ID) Parameter</a>
 */
public record StoredSigningKey(String kid, String algorithm, String publicJwk, String privateJwkEncrypted,
        Instant createdAt, Instant activatesAt) {

    public StoredSigningKey {
        Objects.requireNonNull(kid, "kid must not be null");
        Objects.requireNonNull(algorithm, "algorithm must not be null");
        Objects.requireNonNull(publicJwk, "publicJwk must not be null");
        Objects.requireNonNull(privateJwkEncrypted, "privateJwkEncrypted must not be null");
        Objects.requireNonNull(createdAt, "createdAt must not be null");
        Objects.requireNonNull(activatesAt, "activatesAt must not be null");
    }

    @Override
    public String toString() {
        return "StoredSigningKey[kid=" + kid + ", algorithm=" + algorithm + ", activatesAt=" + activatesAt + "]";
    }
}
