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
 * Keeps the tables bounded: once per period (the refresh grace window, between 5 seconds and 10 minutes) deletes
 * expired authorization requests and codes, dynamically registered clients whose unused lifetime ended (real
 * clients register anew on every connection, spec-requirements.md §3c quirk 2), ended refresh families with their
 * tokens and vault rows, idle-expired refresh tokens, unclaimed vault rows (issue 14.5) and expired sessions of
 * the connected-apps page. Every instance ticks;
 * the one that claims the period in the database ({@link TaskStore}) does the work, in batches of
 * {@value #BATCH} rows per transaction, at most {@value #MAX_BATCHES} batches per period.
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
    TaskStore tasks;

    @Inject
    AccountStore accounts;

    @Inject
    dev.kindemcp.bridge.config.BridgeConfig config;

    /** Rows per purge transaction: short transactions, short row locks. */
    static final int BATCH = 500;

    /** Batches per period: a backlog (after an outage, say) is worked off over several periods. */
    static final int MAX_BATCHES = 200;

    /** The {@code bridge_task} row of this work. */
    static final String TASK = "purge";

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
            if (!tasks.claim(TASK, now, java.time.Duration.ofMillis(period()))) {
                return; // another instance has this period
            }
            int rows = authorizations.purgeExpired(now);
            int unused = clients.purgeExpired(now);
            accounts.purgeSessions(now);
            int successors = tokens.clearSuccessors(now.minus(config.tokens().reuseGrace()));
            if (rows + unused > 0) {
                LOG.info(() -> "purged " + rows + " expired authorization rows and " + unused + " unused clients");
            }
            purgeEnded(now);
            if (successors > 0) {
                LOG.fine(() -> "cleared " + successors + " successor pairs past the refresh grace window");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "purging expired rows failed; will retry", e);
        }
    }

    private void purgeEnded(java.time.Instant now) {
        int families = 0;
        int tokenRows = 0;
        int vaultRows = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            TokenStore.Purged batch = tokens.purgeEnded(now, BATCH);
            families += batch.families();
            tokenRows += batch.tokens();
            vaultRows += batch.vaultRows();
            if (batch.total() == 0) {
                break;
            }
        }
        if (families + tokenRows + vaultRows > 0) {
            int f = families;
            int t = tokenRows;
            int v = vaultRows;
            LOG.info(() -> "purged " + f + " ended refresh families, " + t + " refresh tokens and " + v
                    + " vault rows");
        }
    }

    @PreDestroy
    void stop() {
        if (tick != null) {
            tick.cancel(false);
        }
    }
}
