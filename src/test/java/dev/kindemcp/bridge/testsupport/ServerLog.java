package dev.kindemcp.bridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the messages.log of the Liberty test server of this run, from a remembered offset on. */
public final class ServerLog {

    private final Path file;
    private final long start;

    private ServerLog(Path file, long start) {
        this.file = file;
        this.start = start;
    }

    /** Marks the current end of the log; {@link #sinceMark()} returns what is written after it. */
    public static ServerLog mark() {
        Path file = Path.of(System.getProperty("bridge.it.wlp", "target/liberty/wlp"), "usr", "servers",
                System.getProperty("bridge.it.server", "bridge-it"), "logs", "messages.log");
        try {
            return new ServerLog(file, Files.exists(file) ? Files.size(file) : 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log file itself (its directory holds the server's other logs). */
    public Path file() {
        return file;
    }

    public String sinceMark() {
        try {
            byte[] all = Files.readAllBytes(file);
            int from = (int) Math.min(start, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
