package dev.kindemcp.bridge.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, from the stored keys and the time, which key signs now, which are published, which key must be
 * created next and which are retired; a pure function so that the schedule is tested with any clock.
 *
 * <p>A key's life: created as <em>next</em> (published, not used) one rotation period before it activates;
 * <em>current</em> (signs) from its activation; <em>previous</em> (published, not used) until every token it
 * signed has expired; then deleted.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7517#section-5">RFC 7517 §5 JWK Set Format</a>
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#RotateSigKeys">OpenID Connect Core 1.0 §10.1.1 Rotation of Asymmetric Signing Keys</a>
 */
public final class KeyRotationPolicy {

    private final Duration rotationPeriod;
    private final Duration previousRetention;

    public KeyRotationPolicy(Duration rotationPeriod, Duration previousRetention) {
        this.rotationPeriod = Objects.requireNonNull(rotationPeriod, "rotationPeriod must not be null");
        this.previousRetention = Objects.requireNonNull(previousRetention, "previousRetention must not be null");
        if (rotationPeriod.isNegative() || rotationPeriod.isZero()) {
            throw new IllegalArgumentException("rotationPeriod must be positive");
        }
    }

    /** When a key is, for the policy. */
    public record KeyTimeline(String kid, Instant activatesAt) {
        public KeyTimeline {
            Objects.requireNonNull(kid, "kid must not be null");
            Objects.requireNonNull(activatesAt, "activatesAt must not be null");
        }
    }

    /**
     * The roles of the stored keys at one instant, plus the activation times of keys to create and the kids to
     * delete. {@code current} is empty only when keys must be created first.
     */
    public record KeyPlan(Optional<String> current, Optional<String> next, Optional<String> previous,
            List<Instant> create, List<String> delete) {
        public KeyPlan {
            Objects.requireNonNull(current, "current must not be null");
            Objects.requireNonNull(next, "next must not be null");
            Objects.requireNonNull(previous, "previous must not be null");
            create = List.copyOf(create);
            delete = List.copyOf(delete);
        }

        public boolean changesNothing() {
            return create.isEmpty() && delete.isEmpty();
        }

        /** The kids that the JWKS publishes: current, next and previous. */
        public Set<String> published() {
            Set<String> kids = new HashSet<>();
            current.ifPresent(kids::add);
            next.ifPresent(kids::add);
            previous.ifPresent(kids::add);
            return kids;
        }
    }

    public KeyPlan plan(List<KeyTimeline> keys, Instant now) {
        List<KeyTimeline> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.comparing(KeyTimeline::activatesAt).thenComparing(KeyTimeline::kid));
        List<KeyTimeline> active = sorted.stream().filter(k -> !k.activatesAt().isAfter(now)).toList();
        List<KeyTimeline> future = sorted.stream().filter(k -> k.activatesAt().isAfter(now)).toList();
        List<Instant> create = new ArrayList<>();
        List<String> delete = new ArrayList<>();

        Optional<KeyTimeline> current = active.isEmpty() ? Optional.empty() : Optional.of(active.get(active.size() - 1));
        Optional<KeyTimeline> previous = Optional.empty();
        if (current.isEmpty()) {
            // First start (or every key deleted): sign at once; nobody can hold a token from an older key.
            create.add(now);
        } else {
            Instant currentSince = current.get().activatesAt();
            if (active.size() >= 2 && now.isBefore(currentSince.plus(previousRetention))) {
                previous = Optional.of(active.get(active.size() - 2));
            }
            for (KeyTimeline old : active.subList(0, active.size() - 1)) {
                if (previous.isEmpty() || !old.kid().equals(previous.get().kid())) {
                    delete.add(old.kid());
                }
            }
        }

        Optional<KeyTimeline> next = future.isEmpty() ? Optional.empty() : Optional.of(future.get(0));
        for (KeyTimeline extra : future.subList(Math.min(1, future.size()), future.size())) {
            delete.add(extra.kid());
        }
        if (next.isEmpty()) {
            Instant base = current.map(KeyTimeline::activatesAt).orElse(now);
            Instant due = base.plus(rotationPeriod);
            // A new next key is published for at least a quarter period before anyone signs with it.
            Instant earliest = now.plus(rotationPeriod.dividedBy(4));
            create.add(due.isBefore(earliest) ? earliest : due);
        }
        return new KeyPlan(current.map(KeyTimeline::kid), next.map(KeyTimeline::kid),
                previous.map(KeyTimeline::kid), create, delete);
    }
}
