package dev.kindemcp.bridge.health;

import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.keys.SigningKeyService;
import dev.kindemcp.bridge.kinde.KindeGateway;
import dev.kindemcp.bridge.kinde.KindeUpstreamException;
import dev.kindemcp.bridge.store.StoreHealth;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * The bridge's health checks at {@code /health/ready}, {@code /health/live} and {@code /health/started}
 * (issue 15.1). Ready means: the database answers, a signing key is loaded and decryptable, and Kinde's discovery
 * document and keys were fetched within the key cache's lifetime. A background task looks every
 * {@value #KINDE_CHECK_SECONDS} s ({@link KindeGateway#keysAtHand()}: the key cache, refetched only when stale,
 * and nothing while discovery has never succeeded), never a probe, so probes answer at once and never reach
 * Kinde, and the checks never spend the refetch budget of a rotated Kinde key. An application that failed to start has no checks: Liberty reports it DOWN.
 *
 * <p>Related specifications:
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-health-4.0/microprofile-health-spec-4.0.html">MicroProfile Health 4.0</a>
 */
@ApplicationScoped
public class ReadinessChecks {

    /** How often the background task asks Kinde (the key cache refetches at most once per 30 s anyway). */
    static final int KINDE_CHECK_SECONDS = 30;

    /** How long a successful Kinde check counts: the lifetime of the bridge's cache of Kinde's keys. */
    static final Duration KINDE_FRESHNESS = Duration.ofMinutes(5);

    @Inject
    StoreHealth database;

    @Inject
    SigningKeyService keys;

    @Inject
    KindeGateway kinde;

    @Inject
    BridgeConfig config;

    @Inject
    Clock clock;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    private volatile Instant kindeReachedAt;
    private volatile String kindeProblem = "not checked yet";
    private ScheduledFuture<?> kindeTask;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        if (config.kinde().isPresent()) {
            askKinde(); // discovery ran at startup (KindeIssuerCheck): this only reads what it found
            kindeTask = scheduler.scheduleWithFixedDelay(this::askKinde, KINDE_CHECK_SECONDS, KINDE_CHECK_SECONDS,
                    TimeUnit.SECONDS);
        }
    }

    void askKinde() {
        try {
            if (kinde.keysAtHand()) {
                kindeReachedAt = clock.instant();
                kindeProblem = null;
            } else {
                kindeProblem = "Kinde's discovery document was not fetched yet (see the log)";
            }
        } catch (KindeUpstreamException e) {
            kindeProblem = e.describe();
        } catch (RuntimeException e) {
            kindeProblem = e.getClass().getSimpleName();
        }
    }

    @PreDestroy
    void stop() {
        if (kindeTask != null) {
            kindeTask.cancel(false);
        }
    }

    @Produces
    @Readiness
    HealthCheck database() {
        return guarded("database", () -> {
            database.ping();
            return java.util.Map.of();
        });
    }

    @Produces
    @Readiness
    HealthCheck signingKeys() {
        return guarded("signing-keys", () -> java.util.Map.of("current", keys.currentKeyId()));
    }

    /** A check that is UP with {@code probe}'s data, or DOWN naming the failure when it throws. */
    private static HealthCheck guarded(String name, java.util.function.Supplier<java.util.Map<String, String>> probe) {
        return () -> {
            try {
                var up = HealthCheckResponse.named(name).up();
                probe.get().forEach(up::withData);
                return up.build();
            } catch (RuntimeException e) {
                return HealthCheckResponse.named(name).down().withData("error", e.getClass().getSimpleName()).build();
            }
        };
    }

    @Produces
    @Readiness
    HealthCheck kinde() {
        return () -> {
            if (config.kinde().isEmpty()) {
                return HealthCheckResponse.named("kinde").down().withData("error", "kinde.domain is not set").build();
            }
            Instant reached = kindeReachedAt;
            boolean fresh = reached != null && clock.instant().isBefore(reached.plus(KINDE_FRESHNESS));
            var response = HealthCheckResponse.named("kinde").status(fresh);
            if (reached != null) {
                response.withData("keys_fetched_at", reached.toString());
            }
            String problem = kindeProblem;
            if (problem != null) {
                response.withData("last_error", problem);
            }
            return response.build();
        };
    }

    @Produces
    @Liveness
    HealthCheck running() {
        return () -> HealthCheckResponse.up("running");
    }

    @Produces
    @Startup
    HealthCheck started() {
        return () -> HealthCheckResponse.up("started");
    }
}
