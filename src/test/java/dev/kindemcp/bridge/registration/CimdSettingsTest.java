package dev.kindemcp.bridge.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The defaults of the CIMD fetch and the settings that are refused (R-DCR-7, R-DCR-8). */
class CimdSettingsTest {

    private static CimdSettings with(Duration budget, int maxBytes, Duration defaultTtl, Duration maxTtl,
                                     Duration staleness, int entries) {
        return new CimdSettings(Duration.ofSeconds(2), Duration.ofSeconds(3), budget, maxBytes, defaultTtl, maxTtl,
                staleness, entries, 4);
    }

    @Test
    void defaultsWhenReadThenTheDocumentedValues() {
        CimdSettings d = CimdSettings.defaults();

        assertEquals(Duration.ofSeconds(2), d.connectTimeout());
        assertEquals(Duration.ofSeconds(3), d.readTimeout());
        assertEquals(Duration.ofSeconds(5), d.fetchBudget());
        assertEquals(5120, d.maxDocumentBytes());
        assertEquals(Duration.ofMinutes(5), d.defaultTtl());
        assertEquals(Duration.ofHours(24), d.maxTtl());
        assertEquals(Duration.ofHours(24), d.maxStaleness());
        assertEquals(10_000, d.maxEntries());
        assertEquals(32, d.maxConcurrentFetches());
    }

    @Test
    void constructWhenValuesOutOfRangeThenRefused() {
        Duration s = Duration.ofSeconds(5);
        Duration m = Duration.ofMinutes(5);
        Duration h = Duration.ofHours(24);
        assertThrows(IllegalArgumentException.class, () -> with(Duration.ZERO, 5120, m, h, h, 10));
        assertThrows(IllegalArgumentException.class, () -> with(s, 0, m, h, h, 10));
        assertThrows(IllegalArgumentException.class, () -> with(s, 2 * 1024 * 1024, m, h, h, 10));
        assertThrows(IllegalArgumentException.class, () -> with(s, 5120, h.plusSeconds(1), h, h, 10));
        assertThrows(IllegalArgumentException.class, () -> with(s, 5120, m, h, Duration.ofSeconds(-1), 10));
        assertThrows(IllegalArgumentException.class, () -> with(s, 5120, m, h, h, 0));
        assertThrows(NullPointerException.class, () -> with(null, 5120, m, h, h, 10));
    }

    @Test
    void constructWhenStalenessZeroThenAccepted() {
        assertEquals(Duration.ZERO, with(Duration.ofSeconds(5), 5120, Duration.ofMinutes(5), Duration.ofHours(1),
                Duration.ZERO, 1).maxStaleness());
    }
}
