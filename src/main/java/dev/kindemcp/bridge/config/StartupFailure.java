package dev.kindemcp.bridge.config;

import java.util.logging.Logger;

/**
 * Reports a configuration mistake found at startup as its one line. On an application server the exception
 * then stops the application (Liberty reports it as not started); under the run command ({@code mvn -Prun}),
 * whose server sets {@value #EXIT_PROPERTY}, the server process also ends at once with exit status
 * {@value #EXIT_STATUS}, so that a newcomer sees the one line and a failed command instead of a running server
 * that answers 404 everywhere.
 *
 * <p>Related specifications:
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-config-3.1/microprofile-config-spec-3.1.html">MicroProfile Config 3.1</a>
 */
public final class StartupFailure {

    /** JVM system property set by the run command's server (the {@code run} profile of the pom). */
    public static final String EXIT_PROPERTY = "bridge.exit-on-startup-failure";

    /** sysexits.h EX_CONFIG: a configuration error. */
    public static final int EXIT_STATUS = 78;

    private static final Logger LOG = Logger.getLogger(StartupFailure.class.getName());

    private StartupFailure() {
    }

    /** Logs the mistake as one line and returns it to be thrown; ends the process under the run command. */
    public static ConfigurationException report(ConfigurationException mistake) {
        LOG.severe(mistake.getMessage());
        if (Boolean.getBoolean(EXIT_PROPERTY)) {
            System.out.flush();
            System.err.flush();
            // Deviation: halt, not exit, because Liberty's shutdown hooks wait for the application start that
            // this very thread is running, and the exception's further reports would bury the one line.
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
        return mistake;
    }
}
