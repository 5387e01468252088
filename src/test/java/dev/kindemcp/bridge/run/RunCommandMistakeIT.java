package dev.kindemcp.bridge.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A configuration mistake under the README's run command: the newcomer sees the one line that names it, no
 * stack trace, and the command ends with a non-zero exit instead of a server that answers 404 everywhere.
 */
class RunCommandMistakeIT {

    static final Duration BUDGET = Duration.ofMinutes(3);
    static final Path DATA = Path.of("target", "liberty", "wlp", "usr", "servers", "bridge", "data");

    @Test
    void runWhenIssuerIsPlainHttpOnAPublicHostThenOneLineAndNonZeroExit() throws Exception {
        RunCommand run = RunCommand.start(Path.of("target", "run-command-mistake.log"),
                Map.of("BRIDGE_ISSUER", "http://mcp.example.com"));
        int exit = run.awaitExit(BUDGET);
        assertOneServerErrorLine(run, exit, "kinde-mcp-bridge configuration error: bridge.issuer (BRIDGE_ISSUER): "
                + "must use https (http is accepted for loopback hosts only): 'http://mcp.example.com'");
    }

    /** The usual cause: the embedded database was created in development mode (public key), then a key is set. */
    @Test
    void runWhenMasterKeyCannotDecryptTheStoredKeysThenItSaysWhatToDo() throws Exception {
        deleteEmbeddedDatabase();
        RunCommand first = RunCommand.start(Path.of("target", "run-command-dev-key.log"), Map.of());
        first.awaitMetadata(BUDGET);
        first.stop();

        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        RunCommand run = RunCommand.start(Path.of("target", "run-command-other-key.log"),
                Map.of("BRIDGE_MASTER_KEY", Base64.getEncoder().encodeToString(key)));
        int exit = run.awaitExit(BUDGET);
        String line = assertOneServerErrorLine(run, exit, "kinde-mcp-bridge configuration error: bridge.master-key "
                + "(BRIDGE_MASTER_KEY): the signing keys stored in the database cannot be decrypted");
        assertTrue(line.contains("created with another master key") && line.contains("mvn clean"),
                "what happened and what to do: " + line);
        assertTrue(!run.output().contains(Base64.getEncoder().encodeToString(key)), "the key is never printed");
    }

    /** Exactly one error line of the server (the mistake), then Maven's failure naming the exit status. */
    private static String assertOneServerErrorLine(RunCommand run, int exit, String expected) throws Exception {
        String output = run.output();
        assertNotEquals(0, exit, output);
        List<String> serverErrors = output.lines().filter(l -> l.startsWith("[INFO] ")
                && RunCommand.ERROR_LINE.matcher(l).find()).toList();
        assertEquals(1, serverErrors.size(), "one error line of the server:\n" + String.join("\n", serverErrors));
        assertTrue(serverErrors.get(0).contains(expected), serverErrors.get(0));
        assertTrue(output.contains("RC= 78"), "Maven reports the server's exit status 78:\n" + output);
        assertTrue(output.lines().noneMatch(l -> l.trim().startsWith("at ") || l.contains("\tat ")),
                "no stack trace:\n" + output);
        assertTrue(!output.contains("is ready to run"), "the server never looks ready");
        return serverErrors.get(0);
    }

    private static void deleteEmbeddedDatabase() throws Exception {
        if (!Files.exists(DATA)) {
            return;
        }
        try (Stream<Path> files = Files.walk(DATA)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                if (file.getFileName().toString().startsWith("bridge.")) {
                    Files.delete(file);
                }
            }
        }
    }
}
