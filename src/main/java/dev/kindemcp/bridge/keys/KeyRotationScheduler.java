package dev.kindemcp.bridge.keys;

import dev.kindemcp.bridge.config.ConfigurationException;
import dev.kindemcp.bridge.config.StartupFailure;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes sure signing keys exist before the first request and runs the rotation check every minute.
 *
 * <p>Related specifications:
 * @see <a href="https://jakarta.ee/specifications/concurrency/3.0/">Jakarta Concurrency 3.0 ManagedScheduledExecutorService</a>
 */
@ApplicationScoped
public class KeyRotationScheduler {

    private static final Logger LOG = Logger.getLogger(KeyRotationScheduler.class.getName());

    @Inject
    SigningKeyService keys;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> tick;

    void startAtStartup(@Observes @Priority(300) @Initialized(ApplicationScoped.class) Object event) {
        try {
            keys.rotateIfDue();
        } catch (ConfigurationException e) {
            throw StartupFailure.report(e);
        }
        LOG.info(() -> "signing with key " + keys.currentKeyId() + "; " + keys.publishedKeys().size()
                + " keys published");
        tick = scheduler.scheduleWithFixedDelay(this::rotate, 60, 60, TimeUnit.SECONDS);
    }

    private void rotate() {
        try {
            keys.rotateIfDue();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "signing-key rotation check failed; will retry in a minute", e);
        }
    }

    @PreDestroy
    void stop() {
        if (tick != null) {
            tick.cancel(false);
        }
    }
}
