package dev.kindemcp.bridge.kinde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.config.KindeSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The startup rule of one Kinde issuer: domain, tool APIs' MicroProfile JWT issuer, Kinde's discovery. */
class KindeIssuerCheckTest {

    static final KindeSettings SETTINGS = new KindeSettings(URI.create("https://acme.kinde.com"), "id", "secret",
            java.util.List.of(), java.util.List.of(), Set.of(), Duration.ofSeconds(2), Duration.ofSeconds(5));

    @Test
    void disagreementWhenAllTheSameOrUnknownThenNone() {
        assertEquals(Optional.empty(), KindeIssuerCheck.disagreement(SETTINGS, Optional.of("https://acme.kinde.com"),
                Optional.of("https://acme.kinde.com")));
        assertEquals(Optional.empty(), KindeIssuerCheck.disagreement(SETTINGS, Optional.empty(), Optional.empty()),
                "Kinde unreachable at startup and no explicit MP JWT issuer: checked again on first use");
    }

    @Test
    void disagreementWhenDiscoveryOrToolApiIssuerDiffersThenOneLineWithTheThreeValues() {
        String line = KindeIssuerCheck.disagreement(SETTINGS, Optional.of("https://acme.kinde.com"),
                Optional.of("https://auth.acme.example")).orElseThrow();
        assertTrue(line.contains("'https://acme.kinde.com'") && line.contains("'https://auth.acme.example'"), line);
        String toolApis = KindeIssuerCheck.disagreement(SETTINGS, Optional.of("https://acme.kinde.com/"),
                Optional.empty()).orElseThrow();
        assertTrue(toolApis.contains("mp.jwt.verify.issuer is 'https://acme.kinde.com/'")
                && toolApis.contains("'(not reachable)'"), toolApis);
        assertEquals(1, toolApis.lines().count());
    }
}
