package dev.kindemcp.bridge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Lifetimes of the bridge's refresh tokens, the grace window in which a retried refresh gets the same answer, and
 * how many failed client authentications one client id or source may make per minute (per instance).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2 Recommendations</a>
 */
public record TokenSettings(Duration refreshIdleLifetime, Duration refreshAbsoluteLifetime, Duration reuseGrace,
        int clientAuthFailuresPerMinute) {

    public TokenSettings {
        Objects.requireNonNull(refreshIdleLifetime, "refreshIdleLifetime must not be null");
        Objects.requireNonNull(refreshAbsoluteLifetime, "refreshAbsoluteLifetime must not be null");
        Objects.requireNonNull(reuseGrace, "reuseGrace must not be null");
        if (clientAuthFailuresPerMinute < 1) {
            throw new IllegalArgumentException("clientAuthFailuresPerMinute must be positive");
        }
    }
}
