package dev.kindemcp.bridge.kinde;

import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.ConfigurationException;
import dev.kindemcp.bridge.config.KindeSettings;
import dev.kindemcp.bridge.config.StartupFailure;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * One Kinde issuer everywhere: the configured domain (normalised), the issuer the tool APIs' MicroProfile JWT
 * checks, and the issuer Kinde's discovery document announces (when Kinde answers at startup; it is checked
 * again on first use otherwise) must be the same string, or the application does not start.
 *
 * <p>Related specifications:
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation">OpenID Connect Discovery 1.0 §4.3 Provider Configuration Validation</a>
 * @see <a href="https://docs.kinde.com/build/tokens/about-access-tokens/">Kinde: Access tokens (iss is the Kinde domain)</a>
 */
@ApplicationScoped
public class KindeIssuerCheck {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(
            KindeIssuerCheck.class.getName());

    static final String MP_JWT_ISSUER = "mp.jwt.verify.issuer";

    @Inject
    BridgeConfig config;

    @Inject
    KindeGateway kinde;

    @Inject
    Config mpConfig;

    void checkAtStartup(@Observes @Priority(400) @Initialized(ApplicationScoped.class) Object event) {
        config.kinde().ifPresent(settings -> {
            Optional<String> toolApis = toolApiIssuer();
            Optional<String> announced = kinde.announcedIssuer();
            Optional<String> problem = disagreement(settings, toolApis, announced);
            if (problem.isPresent()) {
                throw StartupFailure.report(new ConfigurationException("kinde.domain", problem.get()));
            }
            // a callback URL Kinde does not know ends every login on Kinde's own error page, which the bridge
            // never sees: the one setting is named here, where an operator looks first
            LOG.info(() -> "Kinde logins return to " + config.url(dev.kindemcp.bridge.oauth.Endpoints.KINDE_CALLBACK)
                    + ": it must be an allowed callback URL of the Kinde application '" + settings.clientId() + "'");
        });
    }

    /** The line that names the three values when they are not one issuer. */
    static Optional<String> disagreement(KindeSettings settings, Optional<String> toolApis, Optional<String> announced) {
        String domain = settings.issuer();
        String expected = String.join(",", settings.issuers());
        boolean toolApisDiffer = toolApis.filter(issuer -> !issuer.equals(expected)).isPresent();
        boolean kindeDiffers = announced.filter(issuer -> !issuer.equals(domain)).isPresent();
        if (!toolApisDiffer && !kindeDiffers) {
            return Optional.empty();
        }
        return Optional.of("the Kinde issuer is spelled three ways: kinde.domain gives '" + expected
                + "', the tool APIs' mp.jwt.verify.issuer is '" + toolApis.orElse("(unset)")
                + "', Kinde's discovery document announces '" + announced.orElse("(not reachable)")
                + "'. Set KINDE_DOMAIN to the issuer Kinde announces and leave mp.jwt.verify.issuer unset");
    }

    private Optional<String> toolApiIssuer() {
        try {
            return mpConfig.getOptionalValue(MP_JWT_ISSUER, String.class);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
