package dev.kindemcp.bridge.testsupport;

import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds test deployments from the packaged WAR, with a test configuration that outranks every other
 * configuration source (ordinal 500), so that each test says exactly how the bridge is configured.
 */
public final class TestDeployments {

    /** A fixed 256-bit master key for tests (base64 of 32 bytes 0x01..0x20). */
    public static final String TEST_MASTER_KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    private static final String CONFIG_PATH = "WEB-INF/classes/META-INF/microprofile-config.properties";

    private TestDeployments() {
    }

    /** The HTTP port of the Liberty test server of this run. */
    public static int httpPort() {
        return Integer.getInteger("bridge.it.http.port", 9081);
    }

    /** The issuer the test deployments use: the test server's own loopback origin. */
    public static String issuer() {
        return "http://localhost:" + httpPort();
    }

    /**
     * The origin of the test server's management port (liberty/server.xml): Liberty's own endpoints, /health
     * among them, which the public port does not serve.
     */
    public static String management() {
        return "http://localhost:" + Integer.getInteger("bridge.it.management.port", 9086);
    }

    /** The public origin of the cluster tests: a load balancer in front of two instances. */
    public static String loadBalancer() {
        return "http://localhost:9190";
    }

    /** The port of the Kinde-compatible fake of this run (reserved by the build). */
    public static int fakeKindePort() {
        return Integer.getInteger("bridge.it.fakekinde.port", 9099);
    }

    /**
     * The baseline configuration of a test deployment: production mode (dev mode off), a test master key, and
     * Kinde at the fake's loopback address.
     */
    public static Map<String, String> baseConfig() {
        Map<String, String> config = new TreeMap<>();
        config.put("bridge.dev-mode", "false");
        config.put("bridge.issuer", issuer());
        config.put("bridge.master-key", TEST_MASTER_KEY);
        config.put("kinde.domain", "http://127.0.0.1:" + fakeKindePort());
        config.put("kinde.client-id", TestKinde.CLIENT_ID);
        config.put("kinde.client-secret", TestKinde.CLIENT_SECRET);
        config.put("kinde.audience", "https://api.example.test");
        config.put("kinde.read-timeout", "PT2S");
        config.putAll(toolApiJwtConfig());
        return config;
    }

    /**
     * The MicroProfile JWT properties of a tool API against the fake Kinde, as the packaged properties derive
     * them from the Kinde settings (the test deployments replace those properties).
     */
    public static Map<String, String> toolApiJwtConfig() {
        Map<String, String> config = new TreeMap<>();
        config.put("mp.jwt.verify.issuer", "http://127.0.0.1:" + fakeKindePort());
        config.put("mp.jwt.verify.audiences", "https://api.example.test");
        config.put("mp.jwt.verify.publickey.location", issuer() + "/kinde/jwks");
        config.put("mp.jwt.verify.publickey.algorithm", "RS256");
        return config;
    }

    /** The baseline configuration without the open-registration rate limit, for tests that register a lot. */
    public static Map<String, String> unthrottledConfig() {
        Map<String, String> config = baseConfig();
        config.put("bridge.registration.rate-per-minute", "100000");
        return config;
    }

    /** The packaged bridge WAR with {@code config} as its configuration. */
    public static WebArchive bridge(Map<String, String> config) {
        return bridge("kinde-mcp-bridge", config);
    }

    /**
     * The packaged bridge WAR under another archive name (Arquillian needs distinct names within one test
     * class; the context root stays {@code /} through ibm-web-ext.xml).
     */
    public static WebArchive bridge(String name, Map<String, String> config) {
        return bridge(new File("target/kinde-mcp-bridge.war"), name, config);
    }

    /** A WAR built on the bridge (an overlay, say) under {@code name}, with {@code config} as its configuration. */
    public static WebArchive bridge(File war, String name, Map<String, String> config) {
        if (!war.isFile()) {
            throw new IllegalStateException(war + " is missing: run the package phase first");
        }
        WebArchive archive = ShrinkWrap.create(ZipImporter.class, name + ".war").importFrom(war)
                .as(WebArchive.class);
        archive.delete(CONFIG_PATH);
        StringBuilder properties = new StringBuilder("config_ordinal=500\n");
        config.forEach((k, v) -> properties.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        archive.add(new StringAsset(properties.toString()), CONFIG_PATH);
        return archive;
    }

    /**
     * {@code war} bound to the virtual host "public" like the bridge (liberty/server.xml): a tool-API WAR beside
     * the bridge answers on the public port; unbound it would answer on the management port only.
     */
    public static WebArchive onPublicPort(WebArchive war) {
        return war.addAsWebInfResource(new StringAsset("<web-bnd xmlns=\"http://websphere.ibm.com/xml/ns/javaee\" "
                + "version=\"1.0\"><virtual-host name=\"public\"/></web-bnd>"), "ibm-web-bnd.xml");
    }

    /** The packaged bridge WAR with the baseline test configuration. */
    public static WebArchive bridge() {
        return bridge(baseConfig());
    }
}
