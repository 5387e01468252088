package dev.kindemcp.bridge.kinde;

import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway caches Kinde's signing keys: how long a fetched JWK set is trusted, how often an unknown
 * {@code kid} may force a refetch, and how long the last good set keeps working while Kinde is unreachable.
 *
 * <p>Related specifications:
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#RotateSigKeys">OpenID Connect Core 1.0 §10.1.1 Rotation of Asymmetric Signing Keys</a>
 */
record KeyCachePolicy(Duration cacheTimeToLive, Duration refetchInterval, Duration outageTolerance) {

    /** Keys trusted 5 minutes; at most one forced refetch per 30 s; last good keys kept 1 hour in an outage. */
    static final KeyCachePolicy DEFAULT = new KeyCachePolicy(Duration.ofMinutes(5), Duration.ofSeconds(30),
            Duration.ofHours(1));

    KeyCachePolicy {
        Objects.requireNonNull(cacheTimeToLive, "cacheTimeToLive must not be null");
        Objects.requireNonNull(refetchInterval, "refetchInterval must not be null");
        Objects.requireNonNull(outageTolerance, "outageTolerance must not be null");
    }
}
