package dev.kindemcp.bridge.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives the tool APIs' MicroProfile JWT the Kinde settings in the spelling it needs: {@code mp.jwt.verify.issuer}
 * is {@code kinde.domain} normalised like the bridge's own checks (no trailing slash, lower-case host, no default
 * port: Kinde's {@code iss}), and {@code mp.jwt.verify.audiences} is {@code kinde.audience} (one or more
 * audiences, separated by commas or spaces) as the comma list MicroProfile JWT reads. A value set explicitly in a
 * stronger source (an environment variable, a test's own properties) still wins; the startup check then compares
 * the issuer with Kinde's.
 *
 * <p>Related specifications:
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-jwt-auth-2.1/microprofile-jwt-auth-spec-2.1.html#_mp_jwt_verify_issuer">MicroProfile JWT 2.1 mp.jwt.verify.issuer</a>
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-jwt-auth-2.1/microprofile-jwt-auth-spec-2.1.html#_mp_jwt_verify_audiences">MicroProfile JWT 2.1 mp.jwt.verify.audiences</a>
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-config-3.1/microprofile-config-spec-3.1.html#custom_configsources">MicroProfile Config 3.1 §Custom ConfigSources</a>
 */
public final class KindeMpJwtConfigSource implements ConfigSource {

    static final String MP_JWT_ISSUER = "mp.jwt.verify.issuer";
    static final String MP_JWT_AUDIENCES = "mp.jwt.verify.audiences";

    /** Above microprofile-config.properties (100), below environment variables (300) and system properties. */
    static final int ORDINAL = 150;

    /** Guards against a lookup of kinde.* that comes back here (it never asks this source for itself). */
    private static final ThreadLocal<Boolean> RESOLVING = ThreadLocal.withInitial(() -> false);

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(MP_JWT_ISSUER, MP_JWT_AUDIENCES);
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new java.util.HashMap<>();
        for (String name : getPropertyNames()) {
            String value = getValue(name);
            if (value != null) {
                properties.put(name, value);
            }
        }
        return properties;
    }

    @Override
    public String getValue(String propertyName) {
        if (!getPropertyNames().contains(propertyName) || RESOLVING.get()) {
            return null;
        }
        RESOLVING.set(true);
        try {
            org.eclipse.microprofile.config.Config config = ConfigProvider.getConfig(
                    KindeMpJwtConfigSource.class.getClassLoader());
            if (MP_JWT_ISSUER.equals(propertyName)) {
                // Liberty's MP JWT takes a comma list of issuers; the domains of one Kinde business share its keys
                return config.getOptionalValue(BridgeConfigParser.KINDE_DOMAIN, String.class)
                        .map(raw -> issuers(BridgeConfigParser.origin(BridgeConfigParser.KINDE_DOMAIN, raw.trim())
                                .toString(), config))
                        .orElse(null);
            }
            List<String> audiences = BridgeConfigParser.audiences(name -> config.getOptionalValue(name, String.class));
            return audiences.isEmpty() ? null : String.join(",", audiences);
        } catch (RuntimeException e) {
            // a kinde.domain or kinde.audience that is not valid is reported by the bridge's own startup check
            return null;
        } finally {
            RESOLVING.set(false);
        }
    }

    /** The login domain's issuer, then the additional issuers, as one comma list. */
    static String issuers(String domainIssuer, org.eclipse.microprofile.config.Config config) {
        List<String> all = new java.util.ArrayList<>(List.of(domainIssuer));
        BridgeConfigParser.additionalIssuers(name -> config.getOptionalValue(name, String.class)).stream()
                .filter(i -> !all.contains(i)).forEach(all::add);
        return String.join(",", all);
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    @Override
    public String getName() {
        return "kinde-mcp-bridge: mp.jwt.verify.issuer and audiences from kinde.domain and kinde.audience";
    }
}
