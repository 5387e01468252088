package dev.kindemcp.bridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A flight recording of the server (JFR, {@code settings=profile}) as the tables of the benchmark page: the
 * methods that were on CPU most often (self) and the share of samples in which each area of code appears
 * anywhere on the stack (inclusive). {@code java -cp ... JfrSummary recording.jfr} prints them.
 */
public final class JfrSummary {

    /** Areas by package prefix, first match wins; a sample counts once per area. */
    static final Map<String, String> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("dev.kindemcp.bridge.", "the bridge's own code");
        AREAS.put("org.eclipse.persistence.", "EclipseLink (JPA)");
        AREAS.put("org.h2.", "H2");
        AREAS.put("org.postgresql.", "PostgreSQL driver");
        AREAS.put("org.flywaydb.", "Flyway");
        AREAS.put("com.nimbusds.", "Nimbus JOSE+JWT / OAuth SDK");
        AREAS.put("sun.security.", "JDK crypto (sun.security)");
        AREAS.put("com.ibm.crypto.", "JDK crypto (IBM)");
        AREAS.put("java.security.", "java.security");
        AREAS.put("javax.crypto.", "javax.crypto");
        AREAS.put("tools.jackson.", "Jackson 3");
        AREAS.put("com.fasterxml.jackson.", "Jackson 2");
        AREAS.put("io.modelcontextprotocol.", "MCP Java SDK");
        AREAS.put("reactor.", "Reactor");
        AREAS.put("org.apache.cxf.", "JAX-RS (CXF)");
        AREAS.put("org.jboss.weld.", "CDI (Weld)");
        AREAS.put("com.ibm.ws.webcontainer.", "Liberty web container");
        AREAS.put("com.ibm.ws.security.", "Liberty security (MP JWT)");
        AREAS.put("com.ibm.ws.http.", "Liberty HTTP channel");
        AREAS.put("com.ibm.ws.tcpchannel.", "Liberty TCP channel");
        AREAS.put("com.ibm.ws.transaction.", "Liberty transactions");
        AREAS.put("com.ibm.tx.", "Liberty transactions");
        AREAS.put("com.ibm.ejs.j2c.", "Liberty connection pool");
        AREAS.put("com.ibm.ws.rsadapter.", "Liberty JDBC adapter");
        AREAS.put("io.openliberty.", "Liberty (other)");
        AREAS.put("com.ibm.", "Liberty (other)");
        AREAS.put("java.util.logging.", "java.util.logging");
        AREAS.put("java.net.http.", "JDK HTTP client");
        AREAS.put("jdk.internal.net.http.", "JDK HTTP client");
        AREAS.put("org.owasp.encoder.", "OWASP encoder");
    }

    /** The code whose methods the inclusive table lists: the bridge and the libraries it calls. */
    static final List<String> LIBRARIES = List.of("dev.kindemcp.", "com.nimbusds.", "io.modelcontextprotocol.",
            "tools.jackson.", "org.eclipse.persistence.", "org.jboss.weld.", "org.apache.cxf.", "org.h2.",
            "org.postgresql.", "reactor.", "com.ibm.ws.security.", "io.openliberty.microprofile.",
            "com.ibm.ws.transaction.", "com.ibm.tx.", "com.ibm.ejs.j2c.");

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println(summarize(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 20));
    }

    static String summarize(Path recording, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> areas = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                samples++;
                self.merge(name(frames.get(0)), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                Set<String> methods = new HashSet<>();
                for (RecordedFrame frame : frames) {
                    if (LIBRARIES.stream().anyMatch(frame.getMethod().getType().getName()::startsWith)) {
                        methods.add(name(frame));
                    }
                    String type = frame.getMethod().getType().getName();
                    for (Map.Entry<String, String> area : AREAS.entrySet()) {
                        if (type.startsWith(area.getKey())) {
                            seen.add(area.getValue());
                            break;
                        }
                    }
                }
                seen.forEach(area -> areas.merge(area, 1, Integer::sum));
                methods.forEach(method -> inclusive.merge(method, 1, Integer::sum));
            }
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%d CPU samples.%n%n", samples));
        out.append("| area (anywhere on the stack) | share of samples |\n| --- | ---: |\n");
        for (Map.Entry<String, Integer> e : sorted(areas)) {
            out.append(String.format(Locale.ROOT, "| %s | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / samples));
        }
        out.append("\n| method of the bridge or a library it calls, anywhere on the stack | share of samples |\n"
                + "| --- | ---: |\n");
        List<Map.Entry<String, Integer>> callers = sorted(inclusive);
        for (Map.Entry<String, Integer> e : callers.subList(0, Math.min(2 * top, callers.size()))) {
            out.append(String.format(Locale.ROOT, "| `%s` | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / samples));
        }
        out.append("\n| method on CPU (self) | share of samples |\n| --- | ---: |\n");
        List<Map.Entry<String, Integer>> methods = sorted(self);
        for (Map.Entry<String, Integer> e : methods.subList(0, Math.min(top, methods.size()))) {
            out.append(String.format(Locale.ROOT, "| `%s` | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / samples));
        }
        return out.toString();
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static List<Map.Entry<String, Integer>> sorted(Map<String, Integer> counts) {
        List<Map.Entry<String, Integer>> list = new ArrayList<>(counts.entrySet());
        list.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        return list;
    }

    static boolean exists(Path recording) {
        return Files.isRegularFile(recording);
    }
}
