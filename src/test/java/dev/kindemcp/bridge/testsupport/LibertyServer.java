package dev.kindemcp.bridge.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Liberty server of a test's own, beside the Arquillian test server, in the installation the build made:
 * created afresh from the project's {@code liberty/} configuration plus what the test adds, started and stopped
 * with Liberty's {@code server} command.
 */
public final class LibertyServer {

    private final Path wlp;
    private final String name;
    private final Path directory;

    private LibertyServer(Path wlp, String name) {
        this.wlp = wlp;
        this.name = name;
        this.directory = wlp.resolve("usr/servers/" + name);
    }

    /** A new server directory named {@code name} with the project's Liberty configuration and these properties. */
    public static LibertyServer create(String name, String bootstrapProperties) throws IOException {
        LibertyServer server = new LibertyServer(Path.of(System.getProperty("bridge.it.wlp", "target/liberty/wlp"))
                .toAbsolutePath(), name);
        deleteTree(server.directory);
        Files.createDirectories(server.directory.resolve("configDropins/overrides"));
        Files.createDirectories(server.directory.resolve("apps"));
        Files.createDirectories(server.directory.resolve("dropins"));
        for (String file : List.of("server.xml", "server.env", "db-h2.xml", "db-postgresql.xml")) {
            Files.copy(Path.of("liberty", file), server.directory.resolve(file));
        }
        Files.writeString(server.directory.resolve("bootstrap.properties"), bootstrapProperties);
        return server;
    }

    /** A file of the server directory ({@code apps/x.war}, {@code configDropins/overrides/x.xml}). */
    public Path resolve(String path) {
        return directory.resolve(path);
    }

    public void start() throws Exception {
        command("start");
    }

    public void stop() throws Exception {
        command("stop");
    }

    /** Waits until {@code url} answers 200 (at most 120 s); fails with the server's log otherwise. */
    public void awaitOk(String url) throws InterruptedException, IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end && Http.statusOrClosed(() -> Http.get(url)) != 200) {
            Thread.sleep(500);
        }
        if (Http.statusOrClosed(() -> Http.get(url)) != 200) {
            throw new AssertionError("the server did not start:\n" + log());
        }
    }

    /** The server's messages.log so far. */
    public String log() throws IOException {
        Path log = directory.resolve("logs/messages.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void command(String action) throws Exception {
        Process process = new ProcessBuilder(wlp.resolve("bin/server").toString(), action, name)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "server " + action + " " + name + " did not end");
        System.out.println("server " + action + " " + name + ": " + output);
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
