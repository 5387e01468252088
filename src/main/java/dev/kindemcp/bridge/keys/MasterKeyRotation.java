package dev.kindemcp.bridge.keys;

import dev.kindemcp.bridge.audit.AuditLog;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.MasterKeyCipher;
import dev.kindemcp.bridge.store.SealedValues;
import dev.kindemcp.bridge.store.SealedValues.Column;
import dev.kindemcp.bridge.store.TaskStore;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Master-key rotation without downtime (issue 15.5). While {@code bridge.additional-master-keys} lists the
 * previous key, every value sealed under it stays readable ({@link MasterKeyCipher}), and this task seals them
 * again under {@code bridge.master-key}: once a minute, claimed in the database so that a cluster makes each
 * pass once, and on the operator's {@code POST /admin/keys/master/reseal}. It reads the four sealed columns
 * ({@link SealedValues.Column}) in pages of {@value #PAGE} rows, one transaction per page, and never writes over
 * a value that changed meanwhile. When a pass finds nothing left under another key, the additional key can go.
 */
@ApplicationScoped
public class MasterKeyRotation {

    private static final Logger LOG = Logger.getLogger(MasterKeyRotation.class.getName());

    /** Rows per page and per transaction. */
    static final int PAGE = 200;

    /** The {@code bridge_task} row of the periodic pass. */
    static final String TASK = "master-key";

    static final Duration PERIOD = Duration.ofMinutes(1);

    /** How the sealed values of one column, or of all of them, stand. */
    public record Report(int resealed, int failed, Map<String, Integer> sealedUnder) {

        Report plus(Report other) {
            Map<String, Integer> under = new TreeMap<>(sealedUnder);
            other.sealedUnder.forEach((kid, n) -> under.merge(kid, n, Integer::sum));
            return new Report(resealed + other.resealed, failed + other.failed, under);
        }

        /** Values that are not (yet) under the current key. */
        public int remaining(String currentKeyId) {
            return sealedUnder.entrySet().stream().filter(e -> !e.getKey().equals(currentKeyId))
                    .mapToInt(Map.Entry::getValue).sum();
        }
    }

    @Inject
    BridgeConfig config;

    @Inject
    MasterKeyCipher cipher;

    @Inject
    SealedValues sealed;

    @Inject
    TaskStore tasks;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> tick;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        if (!config.additionalMasterKeys().isEmpty()) {
            tick = scheduler.scheduleWithFixedDelay(this::periodic, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void periodic() {
        try {
            if (tasks.claim(TASK, clock.instant(), PERIOD)) {
                Map<String, Object> pass = reseal("scheduler");
                LOG.info(() -> "master-key rotation: " + pass);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "master-key rotation pass failed; will retry", e);
        }
    }

    /** The keys and, per column, how many values each key sealed (a read-only pass). */
    public Map<String, Object> status() {
        return answer(pass(false), null);
    }

    /** One pass that seals every value under the current key; {@code actor} is who asked, for the audit trail. */
    public Map<String, Object> reseal(String actor) {
        Map<String, Report> columns = pass(true);
        Report total = columns.values().stream().reduce(new Report(0, 0, Map.of()), Report::plus);
        audit.record("master_key_reseal", total.failed() == 0 ? "success" : "failure", "actor", actor,
                "resealed", total.resealed(), "failed", total.failed(),
                "remaining", total.remaining(cipher.currentKeyId()));
        return answer(columns, total);
    }

    private Map<String, Report> pass(boolean reseal) {
        Map<String, Report> columns = new LinkedHashMap<>();
        for (Column column : Column.values()) {
            columns.put(column.label(), column(column, reseal));
        }
        return columns;
    }

    private Report column(Column column, boolean reseal) {
        String current = cipher.currentKeyId();
        Map<String, Integer> under = new TreeMap<>();
        int resealed = 0;
        int failed = 0;
        String after = "";
        for (List<SealedValues.Sealed> page = sealed.page(column, after, PAGE); !page.isEmpty();
                page = sealed.page(column, after, PAGE)) {
            List<SealedValues.Change> changes = new ArrayList<>();
            for (SealedValues.Sealed value : page) {
                String kid = kid(value.value());
                if (reseal && !kid.equals(current)) {
                    try {
                        changes.add(new SealedValues.Change(value.key(), value.value(), cipher.reseal(value.value())));
                        kid = current;
                    } catch (IllegalStateException e) {
                        failed++;
                    }
                }
                under.merge(kid, 1, Integer::sum);
            }
            if (!changes.isEmpty()) {
                resealed += sealed.replace(column, changes);
            }
            after = page.get(page.size() - 1).key();
        }
        return new Report(resealed, failed, under);
    }

    /** The fingerprint a value names; {@code "unnamed"} for values sealed before fingerprints existed. */
    private String kid(String value) {
        try {
            return cipher.sealedUnder(value).orElse("unnamed");
        } catch (IllegalStateException e) {
            return "unreadable";
        }
    }

    private Map<String, Object> answer(Map<String, Report> columns, Report total) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("current", cipher.currentKeyId());
        answer.put("accepted", cipher.acceptedKeyIds());
        Map<String, Object> byColumn = new LinkedHashMap<>();
        int remaining = 0;
        for (Map.Entry<String, Report> column : columns.entrySet()) {
            byColumn.put(column.getKey(), column.getValue().sealedUnder());
            remaining += column.getValue().remaining(cipher.currentKeyId());
        }
        answer.put("sealed_under", byColumn);
        answer.put("remaining", remaining);
        if (total != null) {
            answer.put("resealed", total.resealed());
            answer.put("failed", total.failed());
        }
        return answer;
    }

    @PreDestroy
    void stop() {
        if (tick != null) {
            tick.cancel(false);
        }
    }
}
