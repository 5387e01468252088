package dev.kindemcp.bridge.bench;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** {@code mvn -Pbench -Dbench.jmh=true}: the JMH benchmarks of {@link HotPathsBenchmark}, into the page. */
final class Microbenchmarks {

    private Microbenchmarks() {
    }

    static void run() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(HotPathsBenchmark.class.getName()).build()).run();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "JMH 1.37 (%s, %s %s, %d cores; 1 fork, "
                + "3 warm-up and 3 measured iterations of 2 s, average time per operation):%n%n", LocalDate.now(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors()));
        table.append("| benchmark | µs per operation | ± (99.9 %) |\n| --- | ---: | ---: |\n");
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            table.append(String.format(Locale.ROOT, "| `%s` | %.2f | %.2f |%n", name.substring(name.lastIndexOf('.')
                    + 1), result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()));
        }
        BenchRunner.replaceSection("jmh", table.toString());
    }
}
