package dev.kindemcp.bridge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The migrated schema holds the largest values validation accepts (issue 12.5), on the database of this
 * integration-test run: a fresh in-memory H2, or a fresh database on the run's PostgreSQL server. The HTTP side
 * (the largest registration, a long loopback redirect URI) is {@code RegistrationLimitsIT}; Client ID Metadata
 * Document client ids cannot be fetched from a test host over TLS here, so their 2,048 characters are written
 * into every client_id column directly.
 */
class SchemaLimitsIT {

    /** {@code ClientIdUrlValidator.MAX_LENGTH}. */
    static final int MAX_CIMD_CLIENT_ID = 2048;

    static Connection db;
    static String pgDatabase;

    @BeforeAll
    static void migrate() throws SQLException {
        String url;
        String user;
        if ("postgresql".equals(System.getProperty("bridge.it.db"))) {
            URI uri = URI.create(System.getProperty("bridge.it.pg.url").substring("jdbc:".length()));
            String server = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() == -1 ? 5432 : uri.getPort());
            pgDatabase = "bridge_schema_limits";
            try (Connection admin = DriverManager.getConnection(server + "/postgres", "postgres", "");
                 Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + pgDatabase + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + pgDatabase);
            }
            url = server + "/" + pgDatabase;
            user = "postgres";
        } else {
            url = "jdbc:h2:mem:schema-limits;DB_CLOSE_DELAY=-1";
            user = "sa";
        }
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration")
                .table("bridge_schema_history").load().migrate();
        db = DriverManager.getConnection(url, user, "");
    }

    @AfterAll
    static void close() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void clientIdColumnsWhenLongestCimdUrlThenStored() throws SQLException {
        String clientId = "https://client.example/" + "c".repeat(MAX_CIMD_CLIENT_ID - "https://client.example/".length());
        String redirect = "http://127.0.0.1:65535/" + "r".repeat(2000 - "http://127.0.0.1/".length());
        insert("INSERT INTO consent (browser_hash, client_id, scope, created_at, updated_at) VALUES (?, ?, ?, 0, 0)",
                "b".repeat(64), clientId, "mcp:read");
        insert("INSERT INTO authorization_request (id, browser_hash, client_id, redirect_uri, code_challenge, scope, "
                + "resource, passthrough_json, status, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                "r1", "b".repeat(64), clientId, redirect, "c".repeat(43), "mcp:read", "https://mcp.example/mcp", "{}",
                "CONSENT");
        insert("INSERT INTO authorization_code (code_hash, client_id, redirect_uri, code_challenge, scope, resource, "
                + "grant_id, kinde_subject, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                "h".repeat(64), clientId, redirect, "c".repeat(43), "mcp:read", "https://mcp.example/mcp", "g1",
                "kp_1");
        insert("INSERT INTO refresh_family (id, client_id, grant_id, kinde_subject, identity_json, scope, resource, "
                + "created_at, absolute_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)", "f1", clientId, "g1", "kp_1",
                "{}", "mcp:read", "https://mcp.example/mcp");
        try (PreparedStatement p = db.prepareStatement("SELECT c.client_id FROM consent c JOIN authorization_code a "
                + "ON a.client_id = c.client_id JOIN authorization_request r ON r.client_id = c.client_id "
                + "JOIN refresh_family f ON f.client_id = c.client_id")) {
            ResultSet rs = p.executeQuery();
            rs.next();
            assertEquals(clientId, rs.getString(1));
        }
    }

    @Test
    void metadataColumnWhenLargestAcceptedRegistrationThenStored() throws SQLException {
        String json = "{\"x\":\"" + "m".repeat(200_000 - 8) + "\"}";
        insert("INSERT INTO oauth_client (client_id, kind, metadata_json, issued_at, last_used_at) "
                + "VALUES (?, ?, ?, 0, 0)", "dcr_large", "DCR", json);
        try (PreparedStatement p = db.prepareStatement("SELECT metadata_json FROM oauth_client WHERE client_id = ?")) {
            p.setString(1, "dcr_large");
            ResultSet rs = p.executeQuery();
            rs.next();
            assertEquals(json, rs.getString(1));
        }
    }

    private static void insert(String sql, String... values) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                p.setString(i + 1, values[i]);
            }
            assertEquals(1, p.executeUpdate());
        }
    }
}
