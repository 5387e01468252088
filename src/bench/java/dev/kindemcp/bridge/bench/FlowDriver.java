package dev.kindemcp.bridge.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Multi-step scenarios that wrk cannot drive (a login follows redirects and carries cookies): {@code workers}
 * threads repeat a flow for {@code seconds}, each timing its flows.
 */
final class FlowDriver {

    /** One worker's flow; its own state (a refresh token, say) lives in the instance. */
    interface Flow {
        /** Runs once; false when the flow failed (counted as an error). */
        boolean run() throws Exception;
    }

    interface FlowFactory {
        Flow create() throws Exception;
    }

    /** What a run measured: flows completed, their rate and latency percentiles, errors. */
    record Result(long flows, double seconds, double perSecond, double p50Ms, double p99Ms, long errors) {
    }

    private FlowDriver() {
    }

    static Result run(int workers, int seconds, FlowFactory factory) throws Exception {
        List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            flows.add(factory.create()); // set-up (a first login, say) is not measured
        }
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<long[]>> timings = new ArrayList<>();
        for (Flow flow : flows) {
            timings.add(pool.submit(() -> {
                long[] took = new long[1024];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    boolean ok;
                    try {
                        ok = flow.run();
                    } catch (Exception | AssertionError e) {
                        ok = false;
                    }
                    if (!ok) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (n == took.length) {
                        took = Arrays.copyOf(took, n * 2);
                    }
                    took[n++] = System.nanoTime() - t0;
                }
                return Arrays.copyOf(took, n);
            }));
        }
        long[] all = new long[0];
        for (Future<long[]> timing : timings) {
            long[] part = timing.get();
            long[] merged = Arrays.copyOf(all, all.length + part.length);
            System.arraycopy(part, 0, merged, all.length, part.length);
            all = merged;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(all);
        return new Result(all.length, elapsed, all.length / elapsed, percentile(all, 0.50), percentile(all, 0.99),
                errors.get());
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
