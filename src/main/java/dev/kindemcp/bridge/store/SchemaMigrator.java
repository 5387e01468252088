package dev.kindemcp.bridge.store;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database schema to the version this WAR needs, with Flyway, before anything reads it.
 *
 * <p>Related specifications:
 * @see <a href="https://documentation.red-gate.com/fd/migrations-184127470.html">Flyway: Migrations</a>
 */
@ApplicationScoped
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

    @Resource(lookup = "jdbc/bridge")
    DataSource dataSource;

    void migrateAtStartup(@Observes @Priority(200) @Initialized(ApplicationScoped.class) Object event) {
        Flyway flyway = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                // Flyway finds migrations inside a WAR on Liberty through the marker file flyway.location
                .locations("classpath:db/migration")
                .callbackLocations("classpath:db/migration")
                .table("bridge_schema_history")
                .baselineOnMigrate(false)
                .failOnMissingLocations(true)
                .load();
        MigrateResult result = flyway.migrate();
        LOG.info(() -> "database schema at version " + flyway.info().current().getVersion() + " ("
                + result.migrationsExecuted + " migrations applied now, database " + result.database + ")");
    }
}
