package dev.kindemcp.bridge.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.annotation.Priority;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Produces the one {@link BridgeConfig} from MicroProfile Config and stops the application at startup when a
 * value is wrong.
 *
 * <p>Related specifications:
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-config-3.1/microprofile-config-spec-3.1.html#default_configsources">MicroProfile Config 3.1 §Default ConfigSources</a>
 */
@ApplicationScoped
public class BridgeConfigProducer {

    private static final Logger LOG = Logger.getLogger(BridgeConfigProducer.class.getName());

    private final Config config;

    @Inject
    public BridgeConfigProducer(Config config) {
        this.config = config;
    }

    BridgeConfigProducer() { // CDI proxy
        this.config = null;
    }

    @Produces
    @Singleton
    public BridgeConfig bridgeConfig() {
        try {
            BridgeConfig parsed = BridgeConfigParser.parse(name -> config.getOptionalValue(name, String.class));
            LOG.info(() -> "kinde-mcp-bridge configuration: " + parsed);
            if (parsed.devMode()) {
                LOG.warning("kinde-mcp-bridge runs in DEV MODE: never expose this server to a network.");
            }
            if (parsed.devMasterKey()) {
                LOG.warning("bridge.master-key is not set: using the PUBLIC dev-mode key; set BRIDGE_MASTER_KEY.");
            }
            if (parsed.kinde().isEmpty()) {
                LOG.warning("kinde.domain is not set: logins through Kinde are unavailable until it is.");
            }
            toolApiWarnings(parsed);
            return parsed;
        } catch (ConfigurationException e) {
            throw StartupFailure.report(e);
        }
    }

    /**
     * The tool APIs' MicroProfile JWT settings are Liberty's to read; without an audience every tool-API call
     * fails with 401, so it is said once at startup (the issuer is checked by kinde.KindeIssuerCheck).
     */
    private void toolApiWarnings(BridgeConfig parsed) {
        parsed.kinde().ifPresent(kinde -> {
            if (kinde.audience().isEmpty()) {
                LOG.warning("kinde.audience (KINDE_AUDIENCE) is not set: the tool APIs refuse every token until it is.");
            }
        });
    }

    /** The one address to use, said once everything started (Liberty's own lines name the bound host). */
    void announceWhenStarted(@Observes @Priority(1000) @Initialized(ApplicationScoped.class) Object event,
            BridgeConfig bridgeConfig) {
        LOG.info(() -> "kinde-mcp-bridge is ready: MCP endpoint " + bridgeConfig.mcpResource() + ", metadata "
                + bridgeConfig.url("/.well-known/oauth-authorization-server"));
    }

    /** Fails the deployment at startup, before any request, when the configuration is wrong. */
    void validateAtStartup(@Observes @Priority(100) @Initialized(ApplicationScoped.class) Object event,
            BridgeConfig bridgeConfig) {
        LOG.fine(() -> "configuration validated for issuer " + bridgeConfig.issuerId());
    }
}
