package dev.kindemcp.bridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk 4.1 with src/bench/lua/request.lua: one request repeated by {@code threads} threads over
 * {@code connections} connections for {@code seconds}. Installed from Debian's packages when missing.
 */
final class Wrk {

    /** What one wrk run measured. */
    record Result(long requests, double seconds, double perSecond, double p50Ms, double p99Ms, long errors) {
    }

    private Wrk() {
    }

    /** Makes sure wrk is on the PATH: apt-get installs it (as root, or through sudo). */
    static void install() throws IOException, InterruptedException {
        if (run(List.of("sh", "-c", "command -v wrk"), Map.of()).exit == 0) {
            return;
        }
        System.out.println("bench: installing wrk from Debian's packages");
        String sudo = "0".equals(run(List.of("id", "-u"), Map.of()).output.trim()) ? "" : "sudo ";
        Output installed = run(List.of("sh", "-c", sudo + "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
                + sudo + "apt-get install -y -qq wrk"), Map.of());
        if (installed.exit != 0) {
            throw new IllegalStateException("wrk is missing and could not be installed:\n" + installed.output);
        }
    }

    static Result run(String url, int threads, int connections, int seconds, Map<String, String> request)
            throws IOException, InterruptedException {
        List<String> command = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--latency", "-s", Path.of("src/bench/lua/request.lua").toString(), url);
        Output output = run(command, request);
        if (output.exit != 0) {
            throw new IllegalStateException("wrk failed:\n" + output.output);
        }
        return parse(output.output);
    }

    static Result parse(String out) {
        Matcher total = Pattern.compile("(\\d+) requests in ([0-9.]+)(m?s)").matcher(out);
        if (!total.find()) {
            throw new IllegalStateException("no request count in wrk's output:\n" + out);
        }
        long requests = Long.parseLong(total.group(1));
        double seconds = Double.parseDouble(total.group(2)) * ("ms".equals(total.group(3)) ? 0.001 : 1);
        long errors = 0;
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(out);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        Matcher unexpected = Pattern.compile("bench-unexpected: (\\d+)").matcher(out);
        if (unexpected.find()) {
            errors += Long.parseLong(unexpected.group(1));
        }
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        double perSecond = rate.find() ? Double.parseDouble(rate.group(1)) : requests / seconds;
        return new Result(requests, seconds, perSecond, percentile(out, "50%"), percentile(out, "99%"), errors);
    }

    private static double percentile(String out, String which) {
        Matcher m = Pattern.compile("\\s" + which + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private record Output(int exit, String output) {
    }

    private static Output run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Output(process.waitFor(), output);
    }
}
