package dev.kindemcp.bridge.registration;

import dev.kindemcp.bridge.store.ClientStore;
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
 * Deletes dynamically registered clients that were not used within their unused lifetime, every hour
 * (real clients register anew on every connection, spec-requirements.md §3c quirk 2).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1">RFC 7591 §3.2.1 (the server may expire registrations)</a>
 */
@ApplicationScoped
public class UnusedClientPurge {

    private static final Logger LOG = Logger.getLogger(UnusedClientPurge.class.getName());

    @Inject
    ClientStore clients;

    @Inject
    Clock clock;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> tick;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        tick = scheduler.scheduleWithFixedDelay(this::purge, 1, 60, TimeUnit.MINUTES);
    }

    void purge() {
        try {
            int purged = clients.purgeExpired(clock.instant());
            if (purged > 0) {
                LOG.info(() -> "purged " + purged + " unused registered clients");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "purging unused clients failed; will retry in an hour", e);
        }
    }

    @PreDestroy
    void stop() {
        if (tick != null) {
            tick.cancel(false);
        }
    }
}
