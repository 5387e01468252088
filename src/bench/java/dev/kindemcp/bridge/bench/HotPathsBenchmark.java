package dev.kindemcp.bridge.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.BridgeConfigParser;
import dev.kindemcp.bridge.config.MasterKeyCipher;
import dev.kindemcp.bridge.keys.SigningKeyService;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.registration.RedirectUriPolicy;
import dev.kindemcp.bridge.resource.BridgeTokenVerifier;
import dev.kindemcp.bridge.testsupport.InMemorySigningKeys;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process hot paths of issue 16, one operation per benchmark, in microseconds: minting an access token
 * (one signature), verifying one (a new token: minting plus the full check; a token seen before: the remembered
 * path), sealing and opening a vault entry under the master key, the CSRF and cookie hash comparison, and
 * redirect-URI matching. Run by {@code mvn -Pbench -Dbench.jmh=true}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class HotPathsBenchmark {

    static final String AUDIENCE = "https://mcp.example.com/mcp";

    private final AtomicLong ids = new AtomicLong();
    private SigningKeyService keys;
    private BridgeTokenVerifier verifier;
    private String remembered;
    private MasterKeyCipher cipher;
    private String vaultEntry;
    private String sealed;
    private String csrf;
    private String csrfHash;

    @Setup
    public void setUp() {
        Map<String, String> values = Map.of("bridge.issuer", "https://mcp.example.com", "bridge.master-key",
                "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=", "bridge.dev-mode", "true");
        BridgeConfig config = BridgeConfigParser.parse(name -> Optional.ofNullable(values.get(name)));
        cipher = new MasterKeyCipher(config);
        keys = new SigningKeyService(config, new InMemorySigningKeys(), cipher, Clock.systemUTC());
        keys.rotateIfDue();
        verifier = new BridgeTokenVerifier(config, keys, Clock.systemUTC());
        remembered = mint();
        verifier.verify(remembered, Optional.of(AUDIENCE)).orElseThrow();
        vaultEntry = "{\"access_token\":\"" + "a".repeat(1200) + "\",\"refresh_token\":\"" + "r".repeat(40)
                + "\",\"id_token\":\"" + "i".repeat(900) + "\"}";
        sealed = cipher.encrypt(vaultEntry, "kinde-grant:bench");
        csrf = Secrets.random(32);
        csrfHash = Secrets.hash(csrf);
    }

    private JWTClaimsSet claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer("https://mcp.example.com").subject("kp_bench").audience(AUDIENCE)
                .claim("client_id", "dcr_bench").claim("scope", "mcp:read").jwtID("j" + ids.incrementAndGet())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600))).build();
    }

    @Benchmark
    public String mint() {
        return keys.sign(claims(), new JOSEObjectType("at+jwt")).serialize();
    }

    @Benchmark
    public Object mintAndVerifyNewToken() {
        return verifier.verify(mint(), Optional.of(AUDIENCE)).orElseThrow();
    }

    @Benchmark
    public Object verifyRememberedToken() {
        return verifier.verify(remembered, Optional.of(AUDIENCE)).orElseThrow();
    }

    @Benchmark
    public String sealVaultEntry() {
        return cipher.encrypt(vaultEntry, "kinde-grant:bench");
    }

    @Benchmark
    public String openVaultEntry() {
        return cipher.decrypt(sealed, "kinde-grant:bench");
    }

    @Benchmark
    public boolean csrfCheck() {
        return Secrets.matches(csrf, csrfHash);
    }

    @Benchmark
    public boolean redirectUriMatch() {
        return RedirectUriPolicy.matches("http://127.0.0.1/callback", "http://127.0.0.1:53682/callback");
    }
}
