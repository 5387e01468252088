package dev.kindemcp.bridge.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * In the PostgreSQL run of the integration tests: skips every test, loudly, when PostgreSQL is not reachable,
 * and otherwise gives the run a fresh database before the Liberty test server first touches it. Registered
 * by service loading, so it runs before Arquillian starts a container.
 */
public class PostgresqlRunCondition implements ExecutionCondition {

    private static volatile ConditionEvaluationResult verdict;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!"postgresql".equals(System.getProperty("bridge.it.db"))) {
            return ConditionEvaluationResult.enabled("not the PostgreSQL run");
        }
        ConditionEvaluationResult result = verdict;
        if (result == null) {
            synchronized (PostgresqlRunCondition.class) {
                if (verdict == null) {
                    verdict = prepare(System.getProperty("bridge.it.pg.url"));
                    System.out.println("=== PostgreSQL run of the integration tests: " + verdict.getReason().orElse(""));
                }
                result = verdict;
            }
        }
        return result;
    }

    private static ConditionEvaluationResult prepare(String url) {
        URI uri = URI.create(url.substring("jdbc:".length()));
        String host = uri.getHost();
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String database = uri.getPath().substring(1);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
        } catch (IOException e) {
            return ConditionEvaluationResult.disabled("SKIPPED: PostgreSQL is not reachable at " + host + ":" + port
                    + " (" + e.getMessage() + "); the integration tests ran on the embedded database only");
        }
        String admin = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is reachable at " + host + ":" + port
                    + " but the test database cannot be created: " + e.getMessage(), e);
        }
        return ConditionEvaluationResult.enabled("running against PostgreSQL database " + database + " at " + host
                + ":" + port);
    }
}
