package dev.kindemcp.bridge.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives the tool APIs' MicroProfile JWT the Kinde issuer in the one spelling Kinde writes into {@code iss}:
 * {@code mp.jwt.verify.issuer} is {@code kinde.domain} normalised like the bridge's own checks (no trailing
 * slash, lower-case host, no default port). A value set explicitly in a stronger source (an environment
 * variable, a test's own properties) still wins; the startup check then compares it with Kinde's issuer.
 *
 * <p>Related specifications:
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-jwt-auth-2.1/microprofile-jwt-auth-spec-2.1.html#_mp_jwt_verify_issuer">MicroProfile JWT 2.1 mp.jwt.verify.issuer</a>
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-config-3.1/microprofile-config-spec-3.1.html#custom_configsources">MicroProfile Config 3.1 §Custom ConfigSources</a>
 */
public final class KindeIssuerConfigSource implements ConfigSource {

    static final String MP_JWT_ISSUER = "mp.jwt.verify.issuer";

    /** Above microprofile-config.properties (100), below environment variables (300) and system properties. */
    static final int ORDINAL = 150;

    /** Guards against a lookup of kinde.domain that comes back here (it never asks this source for itself). */
    private static final ThreadLocal<Boolean> RESOLVING = ThreadLocal.withInitial(() -> false);

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(MP_JWT_ISSUER);
    }

    @Override
    public Map<String, String> getProperties() {
        String value = getValue(MP_JWT_ISSUER);
        return value == null ? Map.of() : Map.of(MP_JWT_ISSUER, value);
    }

    @Override
    public String getValue(String propertyName) {
        if (!MP_JWT_ISSUER.equals(propertyName) || RESOLVING.get()) {
            return null;
        }
        RESOLVING.set(true);
        try {
            Optional<String> domain = ConfigProvider.getConfig(KindeIssuerConfigSource.class.getClassLoader())
                    .getOptionalValue(BridgeConfigParser.KINDE_DOMAIN, String.class);
            return domain.map(raw -> BridgeConfigParser.origin(BridgeConfigParser.KINDE_DOMAIN, raw.trim()).toString())
                    .orElse(null);
        } catch (RuntimeException e) {
            // a kinde.domain that is not a valid origin is reported by the bridge's own startup check
            return null;
        } finally {
            RESOLVING.set(false);
        }
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    @Override
    public String getName() {
        return "kinde-mcp-bridge: mp.jwt.verify.issuer from kinde.domain";
    }
}
