package dev.kindemcp.bridge.run;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kindemcp.bridge.testsupport.Http;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The README's run command, {@code mvn -Prun}, started in the project directory as a user would: its output goes
 * to a log file under target; it is stopped like Ctrl-C in its terminal (SIGINT to Maven, the server and the
 * development identity provider).
 */
final class RunCommand {

    static final String BRIDGE = "http://localhost:9080";
    static final String DEV_KINDE = "http://127.0.0.1:9091";

    /** An error line of Liberty's console ({@code [ERROR   ]}), of Maven ({@code [ERROR]}) or of messages.log ({@code  E }). */
    static final Pattern ERROR_LINE = Pattern.compile("\\[ERROR\\s*\\]|^\\[[^\\]]+\\] \\S+ +\\S+ +E ");

    /** The run server's own log (Liberty writes it next to the console output). */
    static final Path MESSAGES_LOG = Path.of("target", "liberty", "wlp", "usr", "servers", "bridge", "logs",
            "messages.log");

    private final Process process;
    private final Path log;

    private RunCommand(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mvn -Prun} with the environment changed as given ({@code null} removes a variable). */
    static RunCommand start(Path log, Map<String, String> environment) throws IOException {
        for (int port : new int[] {9080, 9091}) {
            if (listening("127.0.0.1", port)) {
                fail("port " + port + " is busy: stop the running bridge (mvn -Prun) before running the tests");
            }
        }
        ProcessBuilder builder = new ProcessBuilder(mavenCommand(), "-B", "-ntp", "-Prun")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("KINDE_DOMAIN");
        builder.environment().remove("BRIDGE_ISSUER");
        builder.environment().remove("BRIDGE_MASTER_KEY");
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        return new RunCommand(builder.start(), log);
    }

    /** Waits until the bridge serves its metadata; fails when the command ends first or after {@code budget}. */
    Duration awaitMetadata(Duration budget) throws Exception {
        long started = System.nanoTime();
        while (true) {
            if (!process.isAlive()) {
                fail("the run command exited with " + process.exitValue() + ":\n" + output());
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (elapsed.compareTo(budget) > 0) {
                fail("no metadata after " + elapsed.toSeconds() + " s:\n" + output());
            }
            if (listening("127.0.0.1", 9080)) {
                try {
                    if (Http.get(BRIDGE + "/.well-known/oauth-authorization-server").statusCode() == 200) {
                        return elapsed;
                    }
                } catch (UncheckedIOException e) {
                    // still starting
                }
            }
            Thread.sleep(250);
        }
    }

    /** Waits for the command to end by itself and returns its exit status. */
    int awaitExit(Duration budget) throws Exception {
        if (!process.waitFor(budget.toSeconds(), TimeUnit.SECONDS)) {
            stop();
            fail("the run command still runs after " + budget.toSeconds() + " s:\n" + output());
        }
        awaitDescendants(process.descendants().toList());
        return process.exitValue();
    }

    /** Stops the command as Ctrl-C does (SIGINT to the whole process group) and waits until all of it ended. */
    void stop() throws Exception {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        for (ProcessHandle handle : all) {
            new ProcessBuilder("kill", "-INT", Long.toString(handle.pid())).start().waitFor();
        }
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        awaitDescendants(all);
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** The error lines of the command's output and of the server's messages.log. */
    List<String> errorLines() throws IOException {
        List<String> errors = new ArrayList<>();
        for (Path file : List.of(log, MESSAGES_LOG)) {
            if (Files.exists(file)) {
                Files.readAllLines(file).stream().filter(line -> ERROR_LINE.matcher(line).find()).forEach(errors::add);
            }
        }
        return errors;
    }

    private static void awaitDescendants(List<ProcessHandle> handles) throws Exception {
        for (ProcessHandle handle : handles) {
            try {
                handle.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                handle.destroyForcibly();
            }
        }
    }

    static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String mavenCommand() {
        String home = System.getProperty("maven.home");
        if (home != null && new File(home, "bin/mvn").canExecute()) {
            return new File(home, "bin/mvn").getPath();
        }
        return "mvn";
    }
}
