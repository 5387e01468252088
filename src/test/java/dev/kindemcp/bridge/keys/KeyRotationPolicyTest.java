package dev.kindemcp.bridge.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.keys.KeyRotationPolicy.KeyPlan;
import dev.kindemcp.bridge.keys.KeyRotationPolicy.KeyTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The signing-key schedule (MD-04) with explicit instants. */
class KeyRotationPolicyTest {

    static final Duration PERIOD = Duration.ofDays(30);
    static final Duration RETENTION = Duration.ofMinutes(15);
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final KeyRotationPolicy policy = new KeyRotationPolicy(PERIOD, RETENTION);

    private static KeyTimeline key(String kid, Instant activatesAt) {
        return new KeyTimeline(kid, activatesAt);
    }

    @Test
    void planWhenNoKeysThenCurrentNowAndNextOnePeriodLater() {
        KeyPlan plan = policy.plan(List.of(), T0);
        assertEquals(List.of(T0, T0.plus(PERIOD)), plan.create());
        assertEquals(Optional.empty(), plan.current());
    }

    @Test
    void planWhenCurrentAndNextThenNothingToDo() {
        KeyPlan plan = policy.plan(List.of(key("a", T0), key("b", T0.plus(PERIOD))), T0.plus(Duration.ofDays(10)));
        assertTrue(plan.changesNothing());
        assertEquals(Optional.of("a"), plan.current());
        assertEquals(Optional.of("b"), plan.next());
        assertEquals(Set.of("a", "b"), plan.published());
    }

    @Test
    void planWhenNextActivatesThenItSignsAndOldBecomesPreviousAndNewNextCreated() {
        Instant at = T0.plus(PERIOD);
        KeyPlan plan = policy.plan(List.of(key("a", T0), key("b", at)), at);
        assertEquals(Optional.of("b"), plan.current());
        assertEquals(Optional.of("a"), plan.previous());
        assertEquals(Optional.empty(), plan.next());
        assertEquals(List.of(at.plus(PERIOD)), plan.create());
        assertEquals(List.of(), plan.delete());
    }

    @Test
    void planWhenPreviousOlderThanRetentionThenDeleted() {
        Instant at = T0.plus(PERIOD);
        List<KeyTimeline> keys = List.of(key("a", T0), key("b", at), key("c", at.plus(PERIOD)));
        KeyPlan kept = policy.plan(keys, at.plus(RETENTION).minusSeconds(1));
        assertEquals(Optional.of("a"), kept.previous());
        assertTrue(kept.changesNothing());
        KeyPlan retired = policy.plan(keys, at.plus(RETENTION));
        assertEquals(Optional.empty(), retired.previous());
        assertEquals(List.of("a"), retired.delete());
        assertEquals(Set.of("b", "c"), retired.published());
    }

    @Test
    void planWhenServerWasDownForSeveralPeriodsThenNewNextIsPublishedBeforeUse() {
        Instant now = T0.plus(PERIOD.multipliedBy(5));
        KeyPlan plan = policy.plan(List.of(key("a", T0)), now);
        assertEquals(Optional.of("a"), plan.current());
        assertEquals(List.of(now.plus(PERIOD.dividedBy(4))), plan.create());
    }

    @Test
    void planWhenOlderActiveKeysAndExtraFutureKeysThenOnlyThreePublished() {
        Instant now = T0.plus(PERIOD.multipliedBy(3)).plusSeconds(60);
        List<KeyTimeline> keys = List.of(key("a", T0), key("b", T0.plus(PERIOD)), key("c", T0.plus(PERIOD.multipliedBy(2))),
                key("d", T0.plus(PERIOD.multipliedBy(3))), key("e", now.plus(PERIOD)), key("f", now.plus(PERIOD.multipliedBy(2))));
        KeyPlan plan = policy.plan(keys, now);
        assertEquals(Optional.of("d"), plan.current());
        assertEquals(Optional.of("c"), plan.previous());
        assertEquals(Optional.of("e"), plan.next());
        assertEquals(Set.of("a", "b", "f"), Set.copyOf(plan.delete()));
        assertEquals(Set.of("c", "d", "e"), plan.published());
    }

    @Test
    void planWhenWalkingThroughAYearThenAlwaysOneCurrentAndOneNextPublished() {
        List<KeyTimeline> keys = new java.util.ArrayList<>();
        int counter = 0;
        for (Instant now = T0; now.isBefore(T0.plus(Duration.ofDays(365))); now = now.plus(Duration.ofHours(7))) {
            KeyPlan plan = policy.plan(keys, now);
            for (Instant activatesAt : plan.create()) {
                keys.add(key("k" + counter++, activatesAt));
            }
            keys.removeIf(k -> plan.delete().contains(k.kid()));
            KeyPlan settled = policy.plan(keys, now);
            assertTrue(settled.changesNothing(), "stable after applying the plan at " + now);
            assertTrue(settled.current().isPresent() && settled.next().isPresent(), "at " + now);
            assertTrue(keys.size() <= 3, "at most three keys kept at " + now);
        }
        assertTrue(counter >= 13 && counter <= 14, "about one key per period, got " + counter);
    }
}
