package dev.kindemcp.bridge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Lifetimes of the bridge's refresh tokens and the grace window in which a retried refresh gets the same
 * answer.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2 Recommendations</a>
 */
public record TokenSettings(Duration refreshIdleLifetime, Duration refreshAbsoluteLifetime, Duration reuseGrace) {

    public TokenSettings {
        Objects.requireNonNull(refreshIdleLifetime, "refreshIdleLifetime must not be null");
        Objects.requireNonNull(refreshAbsoluteLifetime, "refreshAbsoluteLifetime must not be null");
        Objects.requireNonNull(reuseGrace, "reuseGrace must not be null");
    }
}
