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
    Clock clock;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> tick;

    void start(@Observes @Initialized(jakarta.enterprise.context.ApplicationScoped.class) Object event) {
        tick = scheduler.scheduleWithFixedDelay(this::purge, 1, 10, TimeUnit.MINUTES);
    }

    void purge() {
        try {
            int rows = authorizations.purgeExpired(clock.instant());
            int unused = clients.purgeExpired(clock.instant());
            if (rows + unused > 0) {
                LOG.info(() -> "purged " + rows + " expired authorization rows and " + unused + " unused clients");
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
