package dev.kindemcp.bridge.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A connection to the database of the Liberty test server of this run, for tests that inject faults into the
 * schema or look at what only the database shows (encrypted columns): the PostgreSQL test database, or the
 * server's embedded H2 file, which the H2 test server opens with AUTO_SERVER so that a second process may join.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static boolean postgresql() {
        return "postgresql".equals(System.getProperty("bridge.it.db"));
    }

    public static Connection connect() throws SQLException {
        if (postgresql()) {
            return DriverManager.getConnection(System.getProperty("bridge.it.pg.url"), "postgres", "");
        }
        Path file = Path.of(System.getProperty("bridge.it.wlp"), "usr", "servers", System.getProperty("bridge.it.server"),
                "data", "bridge").toAbsolutePath();
        return DriverManager.getConnection("jdbc:h2:" + file + ";AUTO_SERVER=TRUE", "bridge", "");
    }
}
