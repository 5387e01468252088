package dev.kindemcp.bridge.store;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the tables bounded: every ten minutes deletes expired authorization requests and codes, and
 * dynamically registered clients whose unused lifetime ended (real clients register anew on every
 * connection, spec-requirements.md §3c quirk 2). Every instance may run it; the deletes are idempotent.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1">RFC 7591 §3.2.1 (registrations may expire)</a>
 */
@ApplicationScoped
public class ExpiredRowsPurge {

    private static final Logger LOG = Logger.getLogger(ExpiredRowsPurge.class.getName());

    @Inject
    ClientStore clients;

    @Inject
    AuthorizationStore authorizations;

    @Inject
    TokenStore tokens;

    @Inject
    dev.kindemcp.bridge.config.BridgeConfig config;

    @Inject
    Clock clock;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> tick;

    void start(@Observes @Initialized(jakarta.enterprise.context.ApplicationScoped.class) Object event) {
        tick = scheduler.scheduleWithFixedDelay(this::purge, period(), period(), TimeUnit.MILLISECONDS);
    }

    /**
     * One refresh grace window (at least 5 seconds, at most 10 minutes), so that a successor pair outlives its
     * window by at most one more (R-TK-8: secrets live only as long as needed).
     */
    long period() {
        long grace = config.tokens().reuseGrace().toMillis();
        return Math.max(5_000, Math.min(grace, TimeUnit.MINUTES.toMillis(10)));
    }

    void purge() {
        try {
            java.time.Instant now = clock.instant();
            int rows = authorizations.purgeExpired(now);
            int unused = clients.purgeExpired(now);
            int successors = tokens.clearSuccessors(now.minus(config.tokens().reuseGrace()));
            if (rows + unused > 0) {
                LOG.info(() -> "purged " + rows + " expired authorization rows and " + unused + " unused clients");
            }
            if (successors > 0) {
                LOG.fine(() -> "cleared " + successors + " successor pairs past the refresh grace window");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "purging expired rows failed; will retry", e);
        }
    }

    @PreDestroy
    void stop() {
        if (tick != null) {
            tick.cancel(false);
        }
    }
}
